@title CAHIER DES CLAUSES TECHNIQUES PARTICULIÈRES
@title Fourniture de postes de travail informatiques reconditionnés
@header CPAM des Hautes-Terres – CCTP – MAPA 2026-INF-11
@footer page {page}

# 1. Contexte technique

Les postes sont déployés dans l'environnement de production de la caisse, après validation dans l'environnement de test (recette) géré par le service informatique. L'environnement technique comprend un annuaire et un outil de télédistribution des logiciels.

# 2. Caractéristiques des matériels

## 2.1 Configuration minimale

Processeur de huit cœurs au moins, 16 Go de mémoire vive, disque SSD de 512 Go, écran de 14 pouces.

## 2.2 Reconditionnement

Les ordinateurs sont des équipements reconditionnés de moins de quatre ans, remis en état par un reconditionneur qui garantit l'effacement certifié des données et le remplacement des batteries dont la capacité est inférieure à 80 %.

## 2.3 Durabilité et réparabilité

Les matériels présentent un indice de réparabilité au moins égal à 7 sur 10. Les pièces détachées restent disponibles pendant cinq ans. Les modèles d'origine sont enregistrés EPEAT (niveau Silver ou supérieur) ou certifiés TCO Certified.

## 2.4 Consommation d'énergie

Les postes respectent les exigences du label Energy Star dans sa version en vigueur.

# 3. Emballages

Les livraisons sont effectuées en vrac sur palettes ou dans des emballages en carton recyclé ; le titulaire reprend les emballages à l'issue de la livraison.

# 4. Garantie

Les postes sont garantis trois ans, pièces et main-d'œuvre, sur site.
