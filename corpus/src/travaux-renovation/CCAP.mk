@title CAHIER DES CLAUSES ADMINISTRATIVES PARTICULIÈRES
@title Rénovation énergétique du centre administratif de Saint-Aubrac

# ARTICLE 1 – PIÈCES DU MARCHÉ

Le marché est soumis au cahier des clauses administratives générales applicables aux marchés publics de travaux (CCAG-Travaux 2021).

# ARTICLE 2 – DÉLAIS

Le délai d'exécution propre à chaque lot est fixé par le calendrier détaillé d'exécution. L'avancement du chantier est constaté lors des réunions hebdomadaires.

# ARTICLE 3 – AVANCE

Une avance de 5 % du montant initial du marché est versée au titulaire, sauf renonciation de sa part.

# ARTICLE 4 – RETENUE DE GARANTIE

Une retenue de garantie de 5 % est prélevée sur les acomptes. Elle peut être remplacée par une garantie à première demande.

# ARTICLE 5 – DÉLAI DE PAIEMENT

Les acomptes et le solde sont réglés dans un délai global de paiement de 30 jours.

# ARTICLE 6 – GESTION DES DÉCHETS DE CHANTIER

Le titulaire établit un schéma d'organisation et de gestion des déchets (SOGED). Il assure le tri des déchets sur le chantier et garantit qu'au moins 70 % en masse des déchets non dangereux produits sont réemployés, recyclés ou valorisés. Les bordereaux de suivi des déchets sont remis au maître d'œuvre à chaque situation mensuelle. À défaut, une pénalité de 500 € HT par bordereau manquant est appliquée.

# ARTICLE 11 – CLAUSE SOCIALE D'INSERTION

Pour les lots 01 et 03, le titulaire réalise une action d'insertion représentant l'équivalent de 2 ETP sur la durée du chantier, un équivalent temps plein correspondant à 1 607 heures de travail.

Le titulaire est accompagné par la Maison de l'emploi du Pays d'Aubrac, facilitateur des clauses sociales, qui valide l'éligibilité des personnes et assure le suivi des heures réalisées.

En cas de non-respect de cet engagement, le titulaire verse une pénalité de 40 € HT par heure d'insertion non réalisée.
