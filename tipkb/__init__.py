"""Knowledge base of practices against trafficking in persons in the Americas.

Subpackages: ``tipkb.data`` (validated tables), ``tipkb.charts`` (table + language -> figure),
``tipkb.page`` (page elements as MyST), ``tipkb.build`` (site build, execution cache, checks).
"""
