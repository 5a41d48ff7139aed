"""The operate loop (phase 5): how the champion performs on realized outcomes."""
