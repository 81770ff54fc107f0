@title CAHIER DES CLAUSES PARTICULIÈRES (CCP)
@title Surveillance et gardiennage des sites de l'Urssaf des Plateaux
@header Urssaf des Plateaux – CCP gardiennage
@footer Page {page} sur {pages}

# CHAPITRE 1 – CLAUSES ADMINISTRATIVES

## 1.1 Pièces contractuelles

Le marché est régi par le CCAG-FCS en vigueur.

## 1.2 Paiement

Les factures sont réglées par virement dans un délai de 45 jours à compter de leur réception.

## 1.3 Retenue de garantie

Une retenue de garantie de 10 % est appliquée sur chaque paiement. Il n'est pas prévu d'avance.

## 1.4 Pénalités

Toute absence d'agent non remplacée dans l'heure donne lieu à une pénalité de 500 € par heure d'absence.

## 1.5 Obligations sociales

Le titulaire respecte les dispositions du code du travail et la convention collective nationale des entreprises de prévention et de sécurité. Aucune clause d'insertion n'est prévue au présent marché.

# CHAPITRE 2 – CLAUSES TECHNIQUES

## 2.1 Qualification des agents

Les agents sont titulaires de la carte professionnelle délivrée par le CNAPS. Les agents de sécurité incendie suivent le recyclage SSIAP tous les trois ans et le maintien des acquis et actualisation des compétences (MAC) prévu par la réglementation.

## 2.2 Rondes

Les rondes sont effectuées toutes les deux heures la nuit selon un circuit défini avec l'acheteur. Le circuit court de ronde du bâtiment B est réservé aux jours fériés.

## 2.3 Environnement d'intervention

Les agents interviennent dans un environnement de bureaux occupé en journée par 350 salariés.
