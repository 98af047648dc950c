"""The assessment report's labels in English, Ukrainian and Bulgarian, ``(en, uk, bg)``.

Kept apart from the statistics' table (``labels.py``) so that each report's words stay
together; a key found in neither is shown as it is. The sentences the assessment
computes (why a criterion stands as it does) have their own table,
``nitka.assess.phrases``; an analyst's words (a rating's reason, an override's) are
shown as written.
"""

from __future__ import annotations

from nitka.reports.labels import LANGUAGES, label

ASSESSMENT_LABELS: dict[str, tuple[str, str, str]] = {
    "case_title": (
        "Assessment of a case: UNTOC and Trafficking Protocol criteria",
        "Оцінка провадження: критерії КТОЗ ООН та Протоколу про торгівлю людьми",
        "Оценка на случай: критерии по КТОП на ООН и Протокола за трафика на хора",
    ),
    "group_title": (
        "Assessment of an organised crime group",
        "Оцінка організованої злочинної групи",
        "Оценка на организирана престъпна група",
    ),
    "case": ("Case", "Провадження", "Случай"),
    "group": ("Group", "Група", "Група"),
    "profile": ("Weight profile", "Профіль ваг", "Профил на теглата"),
    "summary_line": ("Summary", "Підсумок", "Обобщение"),
    "meets_untoc": (
        "Meets UNTOC's criteria of an organised criminal group (Art. 2(a)) and of a "
        "transnational offence (Art. 3(2)).",
        "Відповідає критеріям КТОЗ ООН щодо організованої злочинної групи (ст. 2(a)) і "
        "транснаціонального злочину (ст. 3(2)).",
        "Отговаря на критериите на КТОП на ООН за организирана престъпна група (чл. 2(a)) и "
        "за транснационално престъпление (чл. 3(2)).",
    ),
    "not_meets_untoc": (
        "Does not meet (or not yet) UNTOC's criteria of an organised criminal group and of a "
        "transnational offence",
        "Не відповідає (або ще не встановлено) критеріям КТОЗ ООН щодо організованої "
        "злочинної групи і транснаціонального злочину",
        "Не отговаря (или още не е установено) на критериите на КТОП на ООН за организирана "
        "престъпна група и транснационално престъпление",
    ),
    "withheld": (
        "{n} protected entities of the case are withheld from you: criteria that need them "
        "may read unknown.",
        "{n} захищених об'єктів провадження вам недоступні: критерії, що від них залежать, "
        "можуть бути «невідомо».",
        "{n} защитени обекта от случая не са ви достъпни: критериите, които зависят от тях, "
        "може да са „неизвестно“.",
    ),
    "code": ("Code", "Код", "Код"),
    "criterion": ("Criterion", "Критерій", "Критерий"),
    "state": ("State", "Стан", "Състояние"),
    "computed": ("Computed", "Обчислено", "Изчислено"),
    "override": ("Override (who, why)", "Зміна аналітиком (хто, чому)", "Промяна (кой, защо)"),
    "evidence": ("Evidence", "Докази", "Доказателства"),
    "why": ("Why", "Чому", "Защо"),
    "met": ("met", "виконано", "изпълнен"),
    "not_met": ("not met", "не виконано", "неизпълнен"),
    "unknown": ("unknown", "невідомо", "неизвестно"),
    "untoc.2a": (
        "UNTOC Art. 2(a): organised criminal group",
        "КТОЗ ООН, ст. 2(a): організована злочинна група",
        "КТОП на ООН, чл. 2(a): организирана престъпна група",
    ),
    "untoc.2a.persons": (
        "three or more persons",
        "три або більше особи",
        "три или повече лица",
    ),
    "untoc.2c": (
        "UNTOC Art. 2(c): structured group (not randomly formed)",
        "КТОЗ ООН, ст. 2(c): структурно оформлена група (не випадково утворена)",
        "КТОП на ООН, чл. 2(c): структурирана група (не случайно образувана)",
    ),
    "untoc.2a.period": (
        "existing for a period of time",
        "існує протягом певного часу",
        "съществува за определен период",
    ),
    "untoc.2a.concert": (
        "acting in concert",
        "діє узгоджено",
        "действа съгласувано",
    ),
    "untoc.2a.serious": (
        "aim of serious crime (penalty of 4 years or more)",
        "мета вчинення тяжкого злочину (покарання від 4 років)",
        "цел тежко престъпление (наказание от 4 години или повече)",
    ),
    "untoc.2a.benefit": (
        "for a financial or other material benefit",
        "для отримання фінансової або іншої матеріальної вигоди",
        "за финансова или друга материална облага",
    ),
    "untoc.3.2": (
        "UNTOC Art. 3(2): transnational in nature",
        "КТОЗ ООН, ст. 3(2): транснаціональний характер",
        "КТОП на ООН, чл. 3(2): транснационален характер",
    ),
    "untoc.3.2.a": (
        "(a) committed in more than one State",
        "(a) вчинено в більш ніж одній державі",
        "(a) извършено в повече от една държава",
    ),
    "untoc.3.2.b": (
        "(b) one State, but substantial preparation, planning, direction or control in another",
        "(b) в одній державі, але істотна підготовка, планування, керівництво чи контроль — в "
        "іншій",
        "(b) в една държава, но съществена подготовка, планиране, ръководство или контрол — в "
        "друга",
    ),
    "untoc.3.2.c": (
        "(c) involves a group active in more than one State",
        "(c) за участі групи, що діє в більш ніж одній державі",
        "(c) с участие на група, действаща в повече от една държава",
    ),
    "untoc.3.2.d": (
        "(d) substantial effects in another State",
        "(d) істотні наслідки в іншій державі",
        "(d) съществени последици в друга държава",
    ),
    "protocol.3": (
        "Trafficking Protocol Art. 3: trafficking in persons",
        "Протокол про торгівлю людьми, ст. 3: торгівля людьми",
        "Протокол за трафика на хора, чл. 3: трафик на хора",
    ),
    "protocol.3.act": (
        "an act (recruitment, transportation, transfer, harbouring or receipt)",
        "дія (вербування, перевезення, передача, приховування або одержання)",
        "действие (набиране, превозване, прехвърляне, укриване или приемане)",
    ),
    "protocol.3.means": (
        "by a means (threat, force, deception, abuse of vulnerability…)",
        "засіб (погроза, сила, обман, зловживання вразливістю…)",
        "средство (заплаха, сила, измама, злоупотреба с уязвимост…)",
    ),
    "protocol.3.purpose": (
        "for the purpose of exploitation",
        "з метою експлуатації",
        "с цел експлоатация",
    ),
    "protocol.3.consent": (
        "consent does not stand in the way (Art. 3(b))",
        "згода не має значення (ст. 3(b))",
        "съгласието е без значение (чл. 3(b))",
    ),
    "untoc_checklist": (
        "UNTOC: organised criminal group",
        "КТОЗ ООН: організована злочинна група",
        "КТОП на ООН: организирана престъпна група",
    ),
    "transnational_checklist": (
        "UNTOC: transnational offence",
        "КТОЗ ООН: транснаціональний злочин",
        "КТОП на ООН: транснационално престъпление",
    ),
    "protocol_checklist": (
        "Trafficking Protocol checklist",
        "Контрольний перелік Протоколу про торгівлю людьми",
        "Контролен списък по Протокола за трафика на хора",
    ),
    "ratings": ("Ratings", "Оцінки", "Оценки"),
    "attribute": ("Attribute", "Ознака", "Признак"),
    "level": ("Rating", "Оцінка", "Оценка"),
    "rated_by": ("Rated by", "Оцінив", "Оценил"),
    "reason": ("Reason", "Підстава", "Основание"),
    "no_evidence": ("no evidence", "без доказів", "без доказателства"),
    "not_rated": ("not rated", "не оцінено", "не е оценено"),
    "evidence_withheld": (
        "{n} more you may not see",
        "ще {n}, недоступні вам",
        "още {n}, недостъпни за вас",
    ),
    "score": ("Score, term by term", "Бал за складовими", "Резултат по компоненти"),
    "points": ("Points", "Бали", "Точки"),
    "weight": ("Weight", "Вага", "Тегло"),
    "contribution": ("Contribution", "Внесок", "Принос"),
    "maximum": ("Of at most", "З можливих", "От възможни"),
    "score_line": (
        "Score {percent}% ({total} of {maximum}); {known}% of the weight rests on known ratings.",
        "Бал {percent}% ({total} з {maximum}); {known}% ваги спирається на відомі оцінки.",
        "Резултат {percent}% ({total} от {maximum}); {known}% от теглото се основава на "
        "известни оценки.",
    ),
    "ranks": (
        "The group's rank under each shipped profile",
        "Місце групи за кожним стандартним профілем",
        "Място на групата по всеки стандартен профил",
    ),
    "rank": ("Rank", "Місце", "Място"),
    "of_groups": ("Of groups", "З груп", "От групи"),
    "score_percent": ("Score %", "Бал %", "Резултат %"),
    "unranked": (
        "the group has no ratings and is not ranked",
        "група не має оцінок і не ранжується",
        "групата няма оценки и не е класирана",
    ),
    "taus": (
        "Agreement of the rankings (Kendall's tau: 1 same order, -1 reverse)",
        "Узгодженість рейтингів (тау Кендалла: 1 — той самий порядок, -1 — зворотний)",
        "Съгласуваност на класиранията (тау на Кендъл: 1 — същият ред, -1 — обратният)",
    ),
    "profiles_pair": ("Profiles", "Профілі", "Профили"),
    "tau": ("Kendall's tau", "Тау Кендалла", "Тау на Кендъл"),
    "tau_none": ("no order to compare", "немає порядку для порівняння", "няма ред за сравнение"),
    "no_single_number": (
        "No single number is the truth: a score depends on the weights chosen. Read it with "
        "its terms, its evidence and how the ranking changes between profiles.",
        "Жодне окреме число не є істиною: бал залежить від обраних ваг. Читайте його разом "
        "зі складовими, доказами та зміною рейтингу між профілями.",
        "Нито едно отделно число не е истината: резултатът зависи от избраните тегла. Четете "
        "го заедно с компонентите, доказателствата и промяната на класирането между профилите.",
    ),
    "corruption": ("Corruption", "Корупція", "Корупция"),
    "violence": ("Violence", "Насильство", "Насилие"),
    "legal_business": (
        "Legal business structures",
        "Легальні бізнес-структури",
        "Легални бизнес структури",
    ),
    "countermeasures": (
        "Counter-measures against law enforcement",
        "Протидія правоохоронним органам",
        "Противодействие на правоприлагането",
    ),
    "international": ("International dimension", "Міжнародний вимір", "Международно измерение"),
    "multi_crime": ("Multi-crime activity", "Багатопрофільна злочинність", "Многопрофилна дейност"),
    "money_laundering": ("Money laundering", "Відмивання коштів", "Изпиране на пари"),
    "expertise": ("Expertise and resources", "Експертиза та ресурси", "Експертиза и ресурси"),
    "size": ("Size", "Чисельність", "Численост"),
    "adaptability": ("Adaptability", "Адаптивність", "Адаптивност"),
    "links": ("Links to other groups", "Зв'язки з іншими групами", "Връзки с други групи"),
    "high": ("high", "висока", "висока"),
    "medium": ("medium", "середня", "средна"),
    "low": ("low", "низька", "ниска"),
    "nil": ("nil", "відсутня", "липсва"),
    "total_line": ("Total", "Усього", "Общо"),
}


def alabel(key: str, lang: str = "en") -> str:
    """The key's label in the language: the assessment's own, else the statistics'."""
    found = ASSESSMENT_LABELS.get(key)
    if found is None:
        return label(key, lang)
    return found[LANGUAGES.index(lang)]
