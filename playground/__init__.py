"""The playground: the real bot talking to a stand-in Telegram (:mod:`playground.standin`)."""
