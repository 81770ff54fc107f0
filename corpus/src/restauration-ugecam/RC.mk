@title UGECAM RIVES-DE-GARONNE
@title RÈGLEMENT DE LA CONSULTATION
@title Fourniture de repas en liaison froide pour le centre de rééducation des Tilleuls
@header UGECAM Rives-de-Garonne – RC – Restauration 2026-REST-02
@footer {page}/{pages}

Date limite de remise des offres : 30 septembre 2026 à 16h00.

# ARTICLE 1 – OBJET DE LA CONSULTATION

Le marché a pour objet la fabrication et la livraison en liaison froide des repas des patients et du personnel du centre de rééducation des Tilleuls, soit environ 62 000 repas par an.

# ARTICLE 2 – PROCÉDURE

La présente consultation est lancée selon la procédure d'appel d'offres ouvert prévue aux articles L. 2124-2 et R. 2124-2 du code de la commande publique.

# ARTICLE 3 – DÉCOMPOSITION DE LA CONSULTATION

La consultation n'est pas allotie : la fabrication et la livraison des repas constituent une prestation indissociable dont la division en lots rendrait techniquement difficile l'exécution et compromettrait la continuité du service aux patients (article L. 2113-11 du code de la commande publique).

# ARTICLE 4 – DURÉE ET MONTANT

Le marché est conclu pour une durée de trois ans à compter du 1er janvier 2027. Le montant estimé du marché est de 95 000 € HT par an, soit 285 000 € HT sur la durée totale.

# ARTICLE 5 – CRITÈRES D'ATTRIBUTION

L'offre économiquement la plus avantageuse est appréciée au regard des critères suivants :

- Critère 1 : Prix (45 %)
- Critère 2 : Valeur technique (35 %), appréciée au vu du mémoire technique
- Critère 3 : Performance en matière de développement durable (20 %), dont :
- Sous-critère 3.1 : Part des produits durables et de qualité et lutte contre le gaspillage alimentaire (10 %)
- Sous-critère 3.2 : Actions de formation et d'insertion du personnel de cuisine (10 %)

Les sous-critères sont exprimés en pourcentage de la note totale.

# ARTICLE 6 – VARIANTES

Les variantes sont autorisées sur la nature des contenants réemployables.
