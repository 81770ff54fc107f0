@title CAHIER DES CLAUSES TECHNIQUES PARTICULIÈRES
@title Entretien des espaces verts – MSA du Bocage

# 1. Gestion différenciée

Le titulaire applique une gestion différenciée des espaces : fauche tardive des prairies, tonte haute des pelouses et maintien de zones refuges pour la faune afin de favoriser la biodiversité.

# 2. Produits phytosanitaires

Aucun produit phytosanitaire de synthèse n'est utilisé. Le désherbage est réalisé par des moyens mécaniques ou thermiques.

# 3. Déchets verts

Les déchets verts sont broyés sur place et réutilisés en paillage des massifs. Les déchets non valorisables sur place sont apportés en déchetterie, les bons de dépôt étant remis à l'acheteur chaque mois.

# 4. Matériels

Le titulaire utilise des matériels électriques à batterie pour les interventions à proximité des bâtiments, afin de réduire les émissions de gaz à effet de serre et le bruit.
