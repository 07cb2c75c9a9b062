"""简体中文消息 (Simplified Chinese messages)."""
