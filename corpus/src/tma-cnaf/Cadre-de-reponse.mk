@title CADRE DE RÉPONSE TECHNIQUE
@title Tierce maintenance applicative des applications métier

# Introduction

Le présent cadre de réponse doit être complété par le candidat. Les rubriques correspondent aux sous-critères de la valeur technique.

# 1 – Organisation de l'équipe (XX points)

Le candidat présente l'organisation de son équipe et les profils proposés.

# 2 – Démarche de sobriété numérique (XX %)

Le candidat présente sa démarche environnementale et les mesures qu'il propose pour réduire l'empreinte des services maintenus.
