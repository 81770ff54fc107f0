@title ACTE D'ENGAGEMENT
@title Fourniture de repas – Centre de rééducation des Tilleuls

# 1 – Contractant

Je soussigné, après avoir pris connaissance du CCAP et du CCTP, m'engage à exécuter les prestations aux prix indiqués au bordereau des prix unitaires.

# 2 – Avance

Je renonce / ne renonce pas au bénéfice de l'avance (rayer la mention inutile).

# 3 – Compte à créditer

Les sommes dues sont versées au compte ouvert au nom du titulaire, dont le relevé d'identité bancaire est joint.
