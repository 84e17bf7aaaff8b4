"""Import scripts: each rebuilds one table in data/ from a raw source file.

Same input, same bytes out (rows sorted by the table's key, fixed column order, "\\n" line ends),
and a report of what changed per country.
"""
