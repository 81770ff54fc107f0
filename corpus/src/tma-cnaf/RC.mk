@title CAISSE NATIONALE DE LA BRANCHE FAMILLE – DIRECTION DES ACHATS
@title RÈGLEMENT DE LA CONSULTATION
@title Tierce maintenance applicative des applications métier

Date limite de réception des offres : 1er septembre 2026 à 12h00.

# Article 1 – Objet et allotissement

La consultation porte sur la tierce maintenance applicative (TMA) corrective et évolutive des applications métier. Elle est décomposée en deux lots :

- Lot 1 : applications de gestion des prestations
- Lot 2 : application de suivi de l'insertion professionnelle des allocataires

Chaque lot est un accord-cadre mono-attributaire exécuté par bons de commande, d'une durée de deux ans reconductible une fois pour deux ans. Le montant maximum est de 1 800 000 € HT pour le lot 1 et de 700 000 € HT pour le lot 2, sur la durée totale de l'accord-cadre.

# Article 2 – Procédure

La procédure est celle de l'appel d'offres ouvert (articles R. 2124-2 et R. 2161-2 du code de la commande publique).

# Article 3 – Critères d'attribution

Les critères de jugement des offres sont identiques pour les deux lots :

| Critère | Pondération |
| Prix, apprécié sur un scénario de commandes | 35 % |
| Valeur technique de l'offre | 50 % |
| Performance en matière de sobriété numérique et d'écoconception des services | 10 % |
| Total | 100 % |

# Article 4 – Clause d'insertion

Aucune clause d'insertion n'est prévue pour ce marché, compte tenu de la nature intellectuelle des prestations.

# Article 5 – Contenu de l'offre

L'offre comprend l'acte d'engagement, le bordereau de prix et le mémoire technique rédigé selon le cadre de réponse.
