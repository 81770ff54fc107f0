@title CAISSE D'ALLOCATIONS FAMILIALES DU VAL-DE-LYS
@title RÈGLEMENT DE LA CONSULTATION
@title Nettoyage et hygiène des locaux de la CAF du Val-de-Lys
@header CAF du Val-de-Lys – Consultation n° 2026-NET-04 – Règlement de la consultation
@footer Page {page} sur {pages}

Date et heure limites de réception des offres : jeudi 15 octobre 2026 à 12h00.

# ARTICLE 1 – Objet et étendue de la consultation

## 1.1 – Objet

La présente consultation a pour objet le nettoyage courant et la remise en état des locaux de la Caisse d'allocations familiales du Val-de-Lys : siège administratif de Valmont et agences d'accueil du département.

## 1.2 – Procédure de passation

La consultation est passée selon la procédure de l'appel d'offres ouvert, en application des articles L. 2124-2, R. 2124-1 et R. 2161-2 à R. 2161-5 du code de la commande publique.

## 1.3 – Allotissement

La consultation est décomposée en deux lots, attribués séparément :

| Lot | Intitulé | Montant estimatif annuel (€ HT) |
| Lot 1 | Siège administratif de Valmont | 120 000 € HT |
| Lot 2 | Agences d'accueil du département | 60 000 € HT |

Les candidats peuvent répondre à un ou aux deux lots.

## 1.4 – Forme et durée du marché

Chaque lot fait l'objet d'un accord-cadre à bons de commande, conclu pour une durée d'un an à compter de sa notification, reconductible tacitement trois fois par période d'un an, soit une durée maximale de quatre ans. Le montant estimatif de l'ensemble des lots est de 180 000 € HT par an.

## 1.5 – Variantes

Les variantes ne sont pas autorisées.

# ARTICLE 2 – Développement durable

Le marché comporte des conditions d'exécution à caractère environnemental, précisées à l'article 9 du CCAP et à l'article 4 du CCTP, ainsi qu'une clause sociale d'insertion par l'activité économique décrite à l'article 8 du CCAP.

Deux critères de jugement des offres, détachés de la valeur technique, portent respectivement sur la performance environnementale et sur la performance sociale des offres.

# ARTICLE 3 – Contenu du dossier de consultation

Le dossier de consultation comprend le présent règlement, le cahier des clauses administratives particulières (CCAP), le cahier des clauses techniques particulières (CCTP), le bordereau des prix unitaires (BPU) et le cadre de réponse technique.

===page===

# ARTICLE 4 – Présentation des offres

Le candidat remet un mémoire technique qui suit le plan du cadre de réponse. Il y présente notamment les produits d'entretien proposés, leurs fiches techniques et les labels dont ils bénéficient, ainsi que les modalités de tri et de collecte des déchets.

Motifs d'exclusion : outre les cas d'exclusion de plein droit, le pouvoir adjudicateur exclut de la procédure, en application des articles L. 2141-7-1 et L. 2141-7-2 du code de la commande publique, le candidat soumis à l'obligation d'établir un plan de vigilance qui ne l'a pas établi, et celui qui n'a pas établi le bilan de ses émissions de gaz à effet de serre alors qu'il y est tenu.

# ARTICLE 5 – Jugement des offres

Le jugement des offres est effectué dans les conditions prévues aux articles R. 2152-1 à R. 2152-7 du code de la commande publique. Les critères retenus sont pondérés de la manière suivante :

| Critères | Pondération |
| 1 – Prix des prestations | 40 % |
| 2 – Valeur technique | 40 % |
| 2.1 – Moyens humains et encadrement affectés au marché | 20 % |
| 2.2 – Méthodologie et organisation des interventions | 20 % |
| 3 – Performance environnementale : produits et matériels utilisés, réduction des déchets | 10 % |
| 4 – Performance sociale : conditions de travail des agents en journée continue et formation | 10 % |
| Total | 100 % |

Chaque critère est noté sur 20. Le critère prix est noté selon la formule : note = 20 × (offre la plus basse / offre examinée).

# ARTICLE 6 – Négociation

Le pouvoir adjudicateur se réserve le droit d'attribuer le marché sur la base des offres initiales, sans négociation.

# ARTICLE 7 – Renseignements complémentaires

Les questions sont posées sur le profil d'acheteur au plus tard dix jours avant la date limite de réception des offres.
