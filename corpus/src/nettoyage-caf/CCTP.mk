@title CAHIER DES CLAUSES TECHNIQUES PARTICULIÈRES
@title Nettoyage et hygiène des locaux de la CAF du Val-de-Lys

# 1 – Description des sites

Le lot 1 comprend le siège administratif de Valmont, soit 6 400 m² de bureaux, salles de réunion et espaces d'accueil. Le lot 2 comprend onze agences d'accueil, pour une surface totale de 3 100 m².

# 2 – Prestations attendues

Les prestations comprennent le nettoyage quotidien des bureaux, des sanitaires et des circulations, l'entretien hebdomadaire des vitreries intérieures et la remise en état annuelle des sols.

# 3 – Horaires d'intervention

Les interventions sont réalisées en journée, entre 7h00 et 19h00, afin d'améliorer les conditions de travail des agents de nettoyage et de limiter le travail fragmenté en horaires décalés.

# 4 – Exigences environnementales

## 4.1 – Produits d'entretien

Les produits détergents et désinfectants doivent être écolabellisés (Écolabel européen, NF Environnement ou équivalent). Les produits désinfectants sont réservés aux sanitaires et aux points de contact. Le dosage des produits est assuré par des centrales de dilution afin d'éviter le surdosage.

## 4.2 – Consommables

Les essuie-mains et le papier toilette fournis sont issus de fibres recyclées et titulaires de l'Écolabel européen. Les sacs poubelles contiennent au moins 50 % de matière plastique recyclée.

## 4.3 – Matériels

Les aspirateurs et autolaveuses utilisés présentent un niveau sonore inférieur à 60 dB(A) et une faible consommation d'énergie.

# 5 – Environnement de travail des agents

Le titulaire veille à ce que ses agents disposent d'un local adapté pour le stockage du matériel et des produits.

# 6 – Contrôle de la qualité

Un contrôle contradictoire de la qualité est réalisé chaque mois sur la base d'une grille d'évaluation annexée au présent CCTP.
