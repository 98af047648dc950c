"""The public chatbot: one dialogue engine (``dialogue``) behind a Telegram bot
(``telegram_bot``) and a web chat page (``nitka.web.chat_pages``), which tells a
person, in their language, what in a job offer points to trafficking, what to do,
and which hotline to call (docs/ads.md, Public chatbot).

Nothing a person writes is kept: no chat id, name or text reaches the store, the
logs or the disk; only counts by day, language and indicator (``counts``).
"""
