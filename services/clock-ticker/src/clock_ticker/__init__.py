"""One clock tick per Asia/Baku day on ``clock-ticks``."""
