"""Governance records: ``records.py`` writes and checks the generated parts of governance/,
``documents.py`` renders them, ``model_card.py`` the model card from the champion.
"""
