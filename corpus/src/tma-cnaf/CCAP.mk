@title CAHIER DES CLAUSES ADMINISTRATIVES PARTICULIÈRES
@title Tierce maintenance applicative des applications métier
@header CNAF – Direction des achats – CCAP TMA
@footer Page {page} sur {pages}

# ARTICLE 1 – CCAG APPLICABLE

Le marché est soumis au cahier des clauses administratives générales applicables aux marchés publics de techniques de l'information et de la communication (CCAG-TIC).

# ARTICLE 2 – MODALITÉS DE PAIEMENT

Le délai de paiement est de 30 jours. Une avance de 5 % est accordée pour tout bon de commande d'un montant supérieur à 50 000 € HT. Le marché ne prévoit pas de retenue de garantie.

# ARTICLE 3 – ACCESSIBILITÉ NUMÉRIQUE

Les évolutions livrées respectent le référentiel général d'amélioration de l'accessibilité (RGAA) dans sa version en vigueur. Chaque livraison majeure est accompagnée d'un audit d'accessibilité dont le taux de conformité ne peut être inférieur à 75 %.

# ARTICLE 4 – SOBRIÉTÉ NUMÉRIQUE

~~~
Le titulaire applique le référentiel général d'écoconception des services numériques (RGESN)
lors de chaque évolution. Il mesure, pour les parcours principaux, le poids des pages et le
nombre de requêtes, et présente chaque année au comité de pilotage un bilan de l'impact environne-
mental des services maintenus, assorti d'un plan de réduction.
~~~

# ARTICLE 5 – PÉNALITÉS

Le non-respect des délais de correction des anomalies bloquantes donne lieu à une pénalité de 300 € HT par jour ouvré de retard.

# ARTICLE 6 – ENVIRONNEMENTS

Le titulaire dispose d'un accès aux environnements de recette et de pré-production. Il ne réalise aucune intervention dans l'environnement de production sans l'accord écrit de l'acheteur.
