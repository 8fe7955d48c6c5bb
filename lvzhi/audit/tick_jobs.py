"""Periodic audit work run by `lvzhi tick`."""

from lvzhi.core.tick import register_tick_job

register_tick_job("audit.checkpoint", "lvzhi.audit.checkpoints.checkpoint_if_due")
