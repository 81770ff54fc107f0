@title CAISSE RÉGIONALE D'ASSURANCE RETRAITE DES MONTS
@title RÈGLEMENT DE LA CONSULTATION
@title Rénovation énergétique du centre administratif de Saint-Aubrac
@header CARSAT des Monts – Travaux 2026-TRV-07 – RC
@footer Page {page} sur {pages}

Date limite de réception des offres : 5 octobre 2026 à 12h00.

# ARTICLE 1 – OBJET

Les travaux portent sur la rénovation énergétique du centre administratif de Saint-Aubrac : isolation des façades par l'extérieur, remplacement des menuiseries extérieures, remplacement de la production de chaleur et relamping LED.

# ARTICLE 2 – PROCÉDURE

La consultation est passée selon la procédure d'appel d'offres ouvert, le montant estimé des travaux dépassant le seuil européen applicable aux marchés de travaux.

# ARTICLE 3 – LOTS

Les travaux sont répartis en quatre lots :

| N° | Désignation | Estimation (€ HT) |
| 01 | Gros œuvre – isolation thermique par l'extérieur | 2 600 000 € |
| 02 | Menuiseries extérieures | 1 400 000 € |
| 03 | Chauffage, ventilation, climatisation | 1 700 000 € |
| 04 | Électricité – éclairage | 500 000 € |
| Total | | 6 200 000 € |

# ARTICLE 4 – DÉLAI D'EXÉCUTION

Le délai global d'exécution est de quatorze mois, période de préparation de deux mois incluse.

# ARTICLE 5 – CLAUSE D'INSERTION

Une clause sociale d'insertion s'applique aux lots 01 et 03. Elle est décrite à l'article 11 du CCAP.

# ARTICLE 6 – JUGEMENT DES OFFRES

Pour chaque lot, les offres sont jugées selon les critères pondérés suivants :

| Critère | Pondération |
| Prix des travaux | 50 % |
| Valeur technique | 40 % |
| dont méthodologie et moyens affectés au chantier | 20 % |
| dont gestion environnementale du chantier (tri et valorisation des déchets, nuisances) | 10 % |
| dont planning détaillé des travaux | 10 % |
| Délai d'exécution | 10 % |

# ARTICLE 7 – VISITE

Une visite du site est obligatoire. L'avancement des travaux ne pourra être entravé par l'occupation du bâtiment, qui reste en activité pendant le chantier.
