@title CAHIER DES CLAUSES ADMINISTRATIVES PARTICULIÈRES
@title Nettoyage et hygiène des locaux de la CAF du Val-de-Lys
@header CAF du Val-de-Lys – CCAP – Consultation n° 2026-NET-04
@footer CCAP nettoyage

# Article 1 – Objet du marché

Le présent CCAP fixe les stipulations administratives de l'accord-cadre de nettoyage des locaux de la CAF du Val-de-Lys, alloti en deux lots.

# Article 2 – Pièces contractuelles

Les pièces contractuelles sont, par ordre de priorité : l'acte d'engagement, le présent CCAP, le CCTP, le bordereau des prix unitaires et le cahier des clauses administratives générales applicables aux marchés publics de fournitures courantes et de services (CCAG-FCS) approuvé par l'arrêté du 30 mars 2021.

# Article 3 – Durée

L'accord-cadre est conclu pour un an et reconductible tacitement trois fois, soit une durée maximale de quatre ans.

# Article 4 – Prix et révision

Les prix sont unitaires, révisables annuellement selon l'indice des prix de la production de services de nettoyage.

# Article 5 – Avance

Une avance de 10 % du montant initial du lot est versée au titulaire lorsque ce montant est supérieur à 50 000 € HT, sauf renonciation expresse dans l'acte d'engagement.

# Article 6 – Règlement des comptes

Les sommes dues sont payées dans un délai global de paiement de 30 jours à compter de la réception de la facture. Il n'est pas prévu de retenue de garantie.

# Article 7 – Pénalités

En cas d'inexécution d'une prestation, une pénalité de 150 € HT par manquement constaté est appliquée. Le montant cumulé des pénalités est plafonné à 10 % du montant du bon de commande.

# Article 8 – Clause sociale d'insertion

## 8.1 – Engagement du titulaire

Afin de favoriser l'accès à l'emploi des personnes qui en sont éloignées, le titulaire s'engage, en application de l'article L. 2112-2 du code de la commande publique, à réserver à des personnes rencontrant des difficultés sociales ou professionnelles particulières une part des heures de travail générées par le marché. Pour l'ensemble des deux lots, le volume d'heures d'insertion est fixé à 1 200 heures par an.

Le titulaire peut remplir cet engagement par l'embauche directe, par la mise à disposition de salariés par une structure d'insertion par l'activité économique (SIAE), une entreprise de travail temporaire d'insertion (ETTI) ou un groupement d'employeurs pour l'insertion et la qualification (GEIQ), ou par la sous-traitance à une entreprise d'insertion.

## 8.2 – Accompagnement par le facilitateur

Le PLIE du Val-de-Lys, facilitateur de la clause, accompagne le titulaire : il vérifie l'éligibilité des publics, propose des candidats et assure le suivi de l'exécution de la clause. Le titulaire lui transmet chaque trimestre un état des heures réalisées, nominatif et accompagné des justificatifs.

## 8.3 – Pénalités liées à la clause

En cas de non-respect de l'engagement d'insertion, une pénalité de 50 € HT par heure non réalisée est appliquée, après mise en demeure restée sans effet.

# Article 9 – Conditions d'exécution environnementales

Le titulaire utilise exclusivement des produits d'entretien titulaires de l'Écolabel européen ou d'un label équivalent, présente à la demande de l'acheteur les fiches techniques correspondantes et emploie des matériels à microfibres lavables.

Il assure le tri sélectif des déchets collectés dans les locaux selon les cinq flux (papier, métal, plastique, verre, bois) et remet chaque semestre un bilan des quantités collectées par flux. Tout manquement constaté à ces obligations donne lieu à une pénalité de 100 € HT par constat.

# Article 10 – Rappel de la réglementation

Le titulaire respecte la réglementation en vigueur en matière de droit du travail, de santé et de sécurité au travail.
