@title CAHIER DES CLAUSES TECHNIQUES PARTICULIÈRES
@title LOT 02 – MENUISERIES EXTÉRIEURES
@header CARSAT des Monts – CCTP lot 02 – Menuiseries extérieures
@footer Page {page} sur {pages}

# 1 – GÉNÉRALITÉS

Le présent CCTP décrit les ouvrages de menuiseries extérieures. L'entreprise prend connaissance de l'environnement du site et des contraintes d'accès avant toute intervention.

# 2 – PERFORMANCES

Les menuiseries en aluminium à rupture de pont thermique présentent un coefficient Uw inférieur ou égal à 1,3 W/m².K. Le vitrage est un double vitrage à isolation thermique renforcée.

# 3 – MISE EN ŒUVRE

L'insertion d'une isolation acoustique en périphérie des dormants est réalisée avec un mastic élastomère. Les joints sont conformes au DTU 36.5.

~~~
Les menuiseries déposées font l'objet d'une dépose sélective. Les profilés en aluminium
sont orientés vers une filière de recyclage et le verre plat vers une filière de valorisation,
dans le cadre de la démarche de gestion environne-
mentale du chantier. Les justificatifs de traitement sont remis au maître d'œuvre.
~~~

# 4 – ESSAIS

Un essai de perméabilité à l'air est réalisé sur un échantillon de trois fenêtres.
