"""Charts: pure functions from tidy tables and a language to a :class:`tipkb.page.Chart`.

- ``layout``: what every chart shares (figure layout, axes, state order, markers);
- ``counts``: UNODC counts of one state (victims, justice, forms, citizenship);
- ``policy``: the 3P index; ``tiers``: US TIP Report placements; ``treaty``: the UN Protocol;
- ``regional``: charts that compare the member states.

The country page's charts are registered in ``tipkb.profile.CHARTS``.
"""
