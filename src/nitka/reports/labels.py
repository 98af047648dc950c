"""The reports' labels in English, Ukrainian and Bulgarian.

The reports sit below the web layer and cannot read the workstation's catalogues
(``nitka.web.locale``), so they keep their own table here: one entry per key,
``(en, uk, bg)``. A key with no entry is shown as it is (country codes, age bands).
The long GLOTIP and Eurostat tables keep the receiving bodies' own column names and
values in every language, so that they can be sent as they are.
"""

from __future__ import annotations

LANGUAGES = ("en", "uk", "bg")

LABELS: dict[str, tuple[str, str, str]] = {
    "title": (
        "Statistics on trafficking in human beings",
        "Статистика щодо торгівлі людьми",
        "Статистика за трафика на хора",
    ),
    "period": (
        "Period",
        "Період",
        "Период",
    ),
    "generated": (
        "Generated",
        "Створено",
        "Създаден",
    ),
    "scope": (
        "Counted in the sight of",
        "Пораховано в межах доступу",
        "Преброено в обхвата на достъпа на",
    ),
    "scope_all": (
        "all data (local operator)",
        "усі дані (локальний оператор)",
        "всички данни (локален оператор)",
    ),
    "home_country": (
        "Reporting country",
        "Країна, що звітує",
        "Докладваща държава",
    ),
    "empty": (
        "No figures for this period: nothing in the store falls in it.",
        "За цей період немає показників: у сховищі нічого не припадає на нього.",
        "Няма данни за този период: нищо в хранилището не попада в него.",
    ),
    "suppressed": (
        "Counts from 1 to {n} are shown as <{m} (small cells suppressed for release).",
        "Значення від 1 до {n} показано як <{m} (малі клітинки приховано для передачі).",
        "Стойности от 1 до {n} са показани като <{m} (малките клетки са скрити за предаване).",
    ),
    "internal": (
        "Internal: exact figures, not for release outside the unit.",
        "Для внутрішнього користування: точні показники, не для передачі за межі підрозділу.",
        "За вътрешно ползване: точни данни, не за предаване извън звеното.",
    ),
    "warnings": (
        "Values that are not known codes",
        "Значення, що не є відомими кодами",
        "Стойности, които не са познати кодове",
    ),
    "count": (
        "Count",
        "Кількість",
        "Брой",
    ),
    "total": (
        "Total",
        "Усього",
        "Общо",
    ),
    "unknown": (
        "Unknown",
        "Невідомо",
        "Неизвестно",
    ),
    "summary": (
        "Summary",
        "Зведення",
        "Обобщение",
    ),
    "partner_countries": (
        "Exchange and cooperation per partner country",
        "Обмін і співпраця за країнами-партнерами",
        "Обмен и сътрудничество по държави партньори",
    ),
    "deadlines": (
        "Requests and the deadlines of Directive (EU) 2023/977",
        "Запити та строки Директиви (ЄС) 2023/977",
        "Искания и сроковете по Директива (ЕС) 2023/977",
    ),
    "victims_sex_age": (
        "Victims by sex and age group",
        "Жертви за статтю та віковою групою",
        "Жертви по пол и възрастова група",
    ),
    "victims_age_bands": (
        "Victims by age band and sex",
        "Жертви за віковими діапазонами та статтю",
        "Жертви по възрастови диапазони и пол",
    ),
    "victims_citizenship": (
        "Victims by citizenship",
        "Жертви за громадянством",
        "Жертви по гражданство",
    ),
    "victims_exploitation": (
        "Victims by form of exploitation",
        "Жертви за формою експлуатації",
        "Жертви по форма на експлоатация",
    ),
    "offenders": (
        "Suspects, prosecutions and convictions",
        "Підозрювані, обвинувачені та засуджені",
        "Заподозрени, обвиняеми и осъдени",
    ),
    "cases_countries": (
        "Criminal cases and reports of possible trafficking by country",
        "Кримінальні провадження та повідомлення про можливу торгівлю людьми за країнами",
        "Наказателни производства и сигнали за възможен трафик по държави",
    ),
    "glotip": (
        "UNODC GLOTIP (long form)",
        "UNODC GLOTIP (довга форма)",
        "UNODC GLOTIP (дълга форма)",
    ),
    "eurostat": (
        "Eurostat crim_thb (long form)",
        "Eurostat crim_thb (довга форма)",
        "Eurostat crim_thb (дълга форма)",
    ),
    "deadlines_note": (
        "Urgent on directly accessible data: 8 hours; other urgent: 3 days; others: 7 days.",
        (
            "Термінові щодо безпосередньо доступних даних: 8 годин; "
            "інші термінові: 3 дні; решта: 7 днів."
        ),
        "Спешни за пряко достъпни данни: 8 часа; други спешни: 3 дни; останалите: 7 дни.",
    ),
    "several_note": (
        "A victim with several citizenships or forms is counted under each.",
        "Жертву з кількома громадянствами чи формами враховано в кожній.",
        "Жертва с няколко гражданства или форми е преброена във всяка.",
    ),
    "glotip_note": (
        "Columns as in UNODC's GLOTIP data; values in English as GLOTIP spells them.",
        "Стовпці як у даних GLOTIP УНП ООН; значення англійською, як у GLOTIP.",
        (
            "Колоните са както в данните GLOTIP на СНПООН; стойностите са на английски, както в "
            "GLOTIP."
        ),
    ),
    "eurostat_note": (
        "Dimensions of Eurostat's crim_thb datasets (sex T/F/M/UNK, age TOTAL/Y_LT18/Y_GE18/UNK).",
        "Виміри наборів даних Eurostat crim_thb (стать T/F/M/UNK, вік TOTAL/Y_LT18/Y_GE18/UNK).",
        (
            "Измерения на наборите данни crim_thb на Евростат (пол T/F/M/UNK, възраст "
            "TOTAL/Y_LT18/Y_GE18/UNK)."
        ),
    ),
    "messages_out": (
        "Messages sent",
        "Надіслані повідомлення",
        "Изпратени съобщения",
    ),
    "messages_in": (
        "Messages received",
        "Отримані повідомлення",
        "Получени съобщения",
    ),
    "requests_out": (
        "Requests sent",
        "Надіслані запити",
        "Изпратени искания",
    ),
    "requests_in": (
        "Requests received",
        "Отримані запити",
        "Получени искания",
    ),
    "in_time_out": (
        "Answered in time (sent)",
        "Відповідь вчасно (надіслані)",
        "Отговорени в срок (изпратени)",
    ),
    "late_out": (
        "Answered late or overdue (sent)",
        "Відповідь із запізненням або прострочено (надіслані)",
        "Отговорени със закъснение или просрочени (изпратени)",
    ),
    "pending_out": (
        "Not yet due (sent)",
        "Строк ще не минув (надіслані)",
        "Срокът още не е изтекъл (изпратени)",
    ),
    "in_time_in": (
        "Answered in time (received)",
        "Відповідь вчасно (отримані)",
        "Отговорени в срок (получени)",
    ),
    "late_in": (
        "Answered late or overdue (received)",
        "Відповідь із запізненням або прострочено (отримані)",
        "Отговорени със закъснение или просрочени (получени)",
    ),
    "pending_in": (
        "Not yet due (received)",
        "Строк ще не минув (отримані)",
        "Срокът още не е изтекъл (получени)",
    ),
    "urgent-direct": (
        "Urgent, directly accessible data (8 hours)",
        "Термінові, безпосередньо доступні дані (8 годин)",
        "Спешни, пряко достъпни данни (8 часа)",
    ),
    "urgent": (
        "Urgent (3 days)",
        "Термінові (3 дні)",
        "Спешни (3 дни)",
    ),
    "normal": (
        "Other (7 days)",
        "Інші (7 днів)",
        "Други (7 дни)",
    ),
    "persons_located": (
        "Persons located",
        "Установлено місцеперебування осіб",
        "Издирени лица",
    ),
    "extradition_requested": (
        "Extraditions requested",
        "Запити про екстрадицію",
        "Искания за екстрадиция",
    ),
    "extradition_granted": (
        "Extraditions granted",
        "Екстрадицію надано",
        "Допуснати екстрадиции",
    ),
    "extradition_refused": (
        "Extraditions refused",
        "В екстрадиції відмовлено",
        "Отказани екстрадиции",
    ),
    "reports_possible_thb": (
        "Reports of possible trafficking",
        "Повідомлення про можливу торгівлю людьми",
        "Сигнали за възможен трафик",
    ),
    "criminal_cases_opened": (
        "Criminal cases opened",
        "Розпочаті кримінальні провадження",
        "Образувани наказателни производства",
    ),
    "victims": (
        "Victims",
        "Жертви",
        "Жертви",
    ),
    "child_victims": (
        "Child victims (0-17)",
        "Діти-жертви (0-17)",
        "Деца жертви (0-17)",
    ),
    "suspects": (
        "Suspects",
        "Підозрювані",
        "Заподозрени",
    ),
    "prosecuted": (
        "Prosecuted",
        "Обвинувачені",
        "Обвиняеми",
    ),
    "convicted": (
        "Convicted",
        "Засуджені",
        "Осъдени",
    ),
    "acquitted": (
        "Acquitted",
        "Виправдані",
        "Оправдани",
    ),
    "female": (
        "Female",
        "Жінки",
        "Жени",
    ),
    "male": (
        "Male",
        "Чоловіки",
        "Мъже",
    ),
    "other": (
        "Other",
        "Інше",
        "Друго",
    ),
    "child": (
        "Children (0-17)",
        "Діти (0-17)",
        "Деца (0-17)",
    ),
    "adult": (
        "Adults (18+)",
        "Дорослі (18+)",
        "Възрастни (18+)",
    ),
    "sexual": (
        "Sexual exploitation",
        "Сексуальна експлуатація",
        "Сексуална експлоатация",
    ),
    "forced_labour": (
        "Forced labour",
        "Примусова праця",
        "Принудителен труд",
    ),
    "forced_criminality": (
        "Forced criminality",
        "Примус до злочинної діяльності",
        "Принуждаване към престъпна дейност",
    ),
    "begging": (
        "Forced begging",
        "Примусове жебракування",
        "Принудително просене",
    ),
    "forced_marriage": (
        "Forced marriage",
        "Примусовий шлюб",
        "Принудителен брак",
    ),
    "organ_removal": (
        "Organ removal",
        "Вилучення органів",
        "Отнемане на органи",
    ),
    "slavery": (
        "Slavery and similar practices",
        "Рабство та подібні практики",
        "Робство и сходни практики",
    ),
}


def label(key: str, lang: str = "en") -> str:
    """The key's label in the language; the key itself when it has none."""
    found = LABELS.get(key)
    if found is None:
        return key.upper() if len(key) == 2 and key.isalpha() else key
    return found[LANGUAGES.index(lang)]
