@title CPAM DES HAUTES-TERRES
@title RÈGLEMENT DE LA CONSULTATION VALANT CAHIER DES CLAUSES ADMINISTRATIVES PARTICULIÈRES
@title Fourniture de postes de travail informatiques reconditionnés
@header CPAM des Hautes-Terres – MAPA 2026-INF-11

Date limite de réception des offres : 10 juin 2026 à 12h00.

# Objet du marché

La consultation porte sur la fourniture de 180 ordinateurs portables reconditionnés et de leurs stations d'accueil pour les agents de la CPAM des Hautes-Terres.

# Procédure

Le marché est passé selon une procédure adaptée en application de l'article R. 2123-1 du code de la commande publique. L'acheteur se réserve la possibilité de négocier avec les trois candidats les mieux classés.

# Allotissement

Le marché n'est pas alloti : les postes et les stations d'accueil doivent être compatibles entre eux et livrés ensemble, une dévolution en lots séparés rendant l'exécution techniquement plus difficile.

# Montant et durée

Le montant estimé du marché est de 60 000 € HT. Le délai de livraison est de six semaines à compter de la notification.

# Critères d'attribution

Les offres sont notées sur 100 points :

- Prix : 60 points
- Valeur technique : 30 points
- Performance environnementale des matériels (durabilité, réparabilité, reprise des équipements) : 10 points

# Conditions de paiement

Le délai global de paiement est fixé à 30 jours. Une avance de 20 % est versée au titulaire qui en fait la demande dans son offre. Le marché ne comporte pas de retenue de garantie.

# Conditions d'exécution environnementales

Le titulaire reprend gratuitement, lors de la livraison, les équipements remplacés et en assure le réemploi ou, à défaut, le traitement dans une filière agréée de déchets d'équipements électriques et électroniques (DEEE). Il remet à l'acheteur un certificat de traitement pour chaque lot d'équipements repris.

# Pénalités

En cas de retard de livraison, une pénalité de 1/1000e du montant de la commande par jour de retard est appliquée.
