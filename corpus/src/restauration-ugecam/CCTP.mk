@title CAHIER DES CLAUSES TECHNIQUES PARTICULIÈRES
@title Fourniture de repas – Centre de rééducation des Tilleuls

# 1. Contexte

Le centre accueille 90 patients en hospitalisation complète et 40 patients en hôpital de jour. Le self du personnel sert environ 70 couverts par jour.

# 2. Prestations

## 2.1 Composition des repas

Les menus sont établis sur un cycle de six semaines et validés par la diététicienne du centre. Les textures modifiées sont préparées selon les prescriptions médicales.

## 2.2 Approvisionnement

Le titulaire privilégie les produits de saison. Les produits bénéficiant d'un label de qualité (Label rouge, appellation d'origine protégée, indication géographique protégée) ou de la certification Haute Valeur Environnementale (HVE) sont identifiés sur les menus. Le poisson servi est issu de pêcheries durables certifiées MSC ou équivalent.

## 2.3 Livraison

Les livraisons sont effectuées six jours sur sept avec un véhicule réfrigéré. Le titulaire optimise ses tournées afin de réduire les émissions de gaz à effet de serre liées au transport.

# 3. Information des convives

Le titulaire affiche une fois par an la part des produits durables et de qualité et la part des produits biologiques servis.
