@title URSSAF DES PLATEAUX
@title RÈGLEMENT DE LA CONSULTATION
@title Prestations de surveillance et de gardiennage des sites de l'Urssaf des Plateaux
@header Urssaf des Plateaux – Gardiennage – RC
@footer Page {page} sur {pages}

Date limite de réception des offres : lundi 2 novembre 2026 à 12h00.

# ARTICLE 1 – OBJET

Le marché porte sur la surveillance humaine, les rondes et le filtrage des accès des trois sites de l'Urssaf des Plateaux.

# ARTICLE 2 – PROCÉDURE ET FORME DU MARCHÉ

La consultation est passée par appel d'offres ouvert. Il s'agit d'un marché unique, ordinaire, conclu pour trois ans. Le montant estimé est de 420 000 € HT pour la durée totale du marché.

# ARTICLE 3 – CRITÈRES D'ATTRIBUTION

Les offres sont classées selon les critères suivants :

1. Prix : 60 %
2. Valeur technique : 40 %, dont :
   - moyens humains et qualifications des agents : 25 %
   - organisation des rondes et procédures d'intervention : 15 %

# ARTICLE 4 – CANDIDATURE

Le candidat justifie de l'autorisation d'exercer délivrée par le Conseil national des activités privées de sécurité (CNAPS).

# ARTICLE 5 – DÉLAI DE VALIDITÉ DES OFFRES

Le délai de validité des offres est de 120 jours à compter de la date limite de réception des offres.
