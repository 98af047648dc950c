"""Ready queries for the seeds' typologies (issue 23, point 5): benefit-card
collection, boat-driver recruitment and call-centre fraud, each composed of the
projections (calls, payments, trips) and the statements that tie numbers and
accounts to persons (``nitka.analysis.ties``). Each answers with the entities
it found, their role in the scheme, and the reasons, naming the records, why
each was included (``found``); ``registry`` lists them with their parameters.
"""
