# The workflows of accounts, imported by `lvzhi tick` (autodiscovery of `<app>.workflows`).
from .datachange import DATA_CHANGE_FLOW

__all__ = ["DATA_CHANGE_FLOW"]
