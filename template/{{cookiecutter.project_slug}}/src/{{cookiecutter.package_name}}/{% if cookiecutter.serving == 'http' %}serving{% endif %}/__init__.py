"""The HTTP service (FastAPI): ``app.py`` scores rows with the champion."""
