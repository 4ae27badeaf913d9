"""Where files come from: local drop folders now, partners' SFTP servers later (issue 6)."""
