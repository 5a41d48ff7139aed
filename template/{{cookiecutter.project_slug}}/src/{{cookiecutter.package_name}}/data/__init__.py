"""The data contract and data access: ``contract.py`` (data/contract.toml), ``schema.py`` (the
pandera schema derived from it), ``tables.py`` (reading, validating, splitting, writing),
``causes.py`` (why validation failed), ``adopt.py`` and ``profile.py`` (adopting a team's own
table), ``synthetic.py`` (rows made from the contract, for tests).
"""
