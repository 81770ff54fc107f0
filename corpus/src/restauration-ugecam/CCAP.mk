@title CAHIER DES CLAUSES ADMINISTRATIVES PARTICULIÈRES
@title Fourniture de repas – Centre de rééducation des Tilleuls
@header UGECAM Rives-de-Garonne – CCAP – Restauration

# ARTICLE 1 – PIÈCES CONSTITUTIVES

Le marché est soumis au CCAG applicable aux marchés publics de fournitures courantes et de services (CCAG-FCS).

# ARTICLE 2 – AVANCE

Une avance de 5 % du montant annuel du marché est accordée au titulaire, sauf s'il y renonce dans l'acte d'engagement.

# ARTICLE 3 – DÉLAI DE PAIEMENT

Le délai global de paiement des factures est de 30 jours à compter de leur date de réception.

# ARTICLE 4 – CONDITIONS D'EXÉCUTION À CARACTÈRE ENVIRONNEMENTAL

## 4.1 – Qualité des produits (loi Egalim)

Conformément à l'article L. 230-5-1 du code rural et de la pêche maritime, la part des produits durables et de qualité servis, en valeur d'achat hors taxes, est au moins égale à 50 %, dont au moins 20 % de produits issus de l'agriculture biologique. Le titulaire transmet chaque trimestre un tableau de suivi des achats par catégorie de produits.

## 4.2 – Option végétarienne

Un menu végétarien est proposé au moins une fois par semaine, et une option végétarienne quotidienne est proposée au self du personnel.

## 4.3 – Lutte contre le gaspillage alimentaire

Le titulaire réalise, la première année, un diagnostic du gaspillage alimentaire et met en œuvre un plan de réduction dont les résultats sont présentés au comité de suivi semestriel.

## 4.4 – Contenants

Aucun contenant alimentaire de cuisson, de réchauffe ou de service en matière plastique n'est utilisé. Les repas sont livrés dans des bacs gastronormes en inox réemployables.

# ARTICLE 5 – CONDITIONS D'EXÉCUTION À CARACTÈRE SOCIAL

Le titulaire accueille, pendant la durée du marché, au moins un apprenti préparant un diplôme des métiers de la restauration au sein de l'équipe affectée à la cuisine centrale.

# ARTICLE 6 – PÉNALITÉS

Le non-respect des taux de produits durables et de qualité entraîne une pénalité de 200 € HT par point de pourcentage manquant, constatée à la fin de chaque trimestre.
