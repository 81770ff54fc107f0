@title MSA DU BOCAGE – RÈGLEMENT DE LA CONSULTATION
@title Entretien des espaces verts des sites de la MSA du Bocage – marché réservé

Date limite de remise des offres : 15 mars 2026 à 12h00.

# Article 1 – Objet

Le marché porte sur l'entretien des espaces verts des trois sites de la MSA du Bocage : tonte, taille des haies, désherbage et ramassage des feuilles.

# Article 2 – Marché réservé

En application de l'article L. 2113-12 du code de la commande publique, le présent marché est réservé aux entreprises adaptées et aux établissements et services d'aide par le travail (ESAT), ainsi qu'aux structures équivalentes, qui emploient une proportion minimale de 50 % de travailleurs handicapés.

# Article 3 – Procédure

La consultation est passée selon une procédure adaptée (articles L. 2123-1 et R. 2123-1 du code de la commande publique).

# Article 4 – Durée et montant

Le marché est conclu pour un an, reconductible deux fois, soit trois ans au plus. Le montant estimatif est de 48 000 € HT par an.

# Article 5 – Critères de jugement des offres

| Critère | Pondération |
| Prix | 40 % |
| Valeur technique | 45 % |
| Performance environnementale (gestion différenciée, biodiversité) | 15 % |

# Article 6 – Délai de paiement

Le délai global de paiement est de 30 jours.
