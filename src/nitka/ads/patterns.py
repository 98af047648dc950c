"""The phrases behind each indicator, over lemmas, in uk, ru, bg and en.

A phrase is terms separated by spaces; a term is alternatives separated by
``|``, and a trailing ``*`` matches any word that begins so (lemmatisers
know no slang, and the four languages inflect). Up to two other words may
stand between the terms of a phrase. The phrases of every language apply to
every ad: ads mix languages (a Russian ad with an English "VIP").

``RAW`` holds the few signs that are not words: handles, ages, sums, and
``NEEDLES`` what each of them cannot match without.
"""

from __future__ import annotations

from typing import Final

PHRASES: Final[dict[str, tuple[str, ...]]] = {
    "deception_pay": (
        # uk / ru / bg / en
        "висок*|великий|великі|шалені|легк* заробіт*|гроші|заробок|дохід",
        "високий|высокий|висок* дох*|доход",
        "легк* деньг*|пари",
        "лесн* пари",
        "бърз* пари",
        "3|4|5|6|7|8|10 тис*|тыс*|хиляд*|k євро|евро|euro|eur|долар*|доллар*|dollar*|usd",
        "на|в|per день|ден|day|тиждень|неделю|седмица|week 300|400|500|700|1000 євро|евро|euro|eur|долар*|доллар*|dollar*|usd",
        "easy|quick|fast|big money|cash|earning*",
        "earn up|over to",
        "заробля*|зарабатыва*|изкарва* до|від|от|over",
    ),
    "upfront_fee": (
        "оплат*|плат*|внес*|взнос*|такс*|fee* за|for оформлен*|оформяне|віз*|виз*|visa|документ*|працевлаштуван*|трудоустройств*|дорог*|квиток|билет*|ticket|place|job|місце|место",
        "передоплат*|предоплат*|предплат*|аванс|авансов*|депозит*",
        "pay|paid|payment|fee*|deposit*|money upfront|in_advance|beforehand",
        "upfront|advance|refundable fee*|payment*|deposit*",
        "registration|processing|application fee*",
        "євро|евро|euro|eur|€|долар*|доллар*|dollar*|usd наперед|заранее|предварител*|upfront|in_advance|beforehand",
        "такс*|fee* за|for услуг*|послуг*|service*",
        "вартість|стоимость|цена|цін* оформлен*|послуг*|услуг*",
        "послуг*|услуг* агенц*|агентств*|посредник*|посередник* оплачу*|оплачив*|плаща*",
        "pay|send|transfer|paid|payment for visa|ticket|training|kit|registration|the_job",
    ),
    "debt_bondage": (
        "відпрацю*|отработ*|відробит*|відробиш*|изработ*|work_off|repay|pay_back",
        "вирахову*|вираху*|вычит*|утрим*|удерж*|удърж*|віднім*|deduct* з|із|из|от|from зарплат*|заплат*|wage*|salary|pay|першої|первой",
        "дорог*|квиток|билет*|проїзд*|проезд*|пътя|път*|житл*|жиль*|квартир*|travel|ticket|housing|accommodation у|в|в|on борг|долг*|дълг|credit|кредит|debt",
        "борг*|долг*|дълг*|debt* за|for дорог*|житл*|жиль*|път*|travel|квартир*",
        "у|в|в|on борг|долг|дълг|кредит|credit|loan",
        "потім|потом|после|след|later|then відда*|отда*|върна*|верн*|поверн*|repay|return",
    ),
    "documents_retained": (
        "паспорт*|документ*|passport*|documents|id забир*|забер*|забра*|взима*|зберіга*|хранит*|храня*|сдат*|здат*|зда*|сда*|пазим|задържа*|предава*|преда*|keep*|kept|hold*|held|retain*|take*|collect*|surrender*|hand*",
        "забир*|забер*|збер*|хран*|зберіга*|сдат*|здат*|зда*|сда*|пазим|задържа*|keep|kept|hold|held|retain*|surrender|hand* паспорт*|документ*|passport*",
        "паспорт*|passport*|документ* у|в|при|with роботодав*|работодател*|работодат*|employer|агент*|agent*|бригадир*|куратор*|coordinator",
        "паспорт*|passport*|документ* на|для|for зберіганн*|хранени*|съхранени*|безпек*|безопасност*|safekeeping|safe",
    ),
    "movement_restriction": (
        "не|нельзя|забороне*|запрещ*|забранен*|not|no виход*|выход*|излиза*|leave|leaving|go_out|outside",
        "вихід|виход*|выход*|излиза*|leave тільки|только|само|only з|с|with",
        "без дозвол*|разрешени*|разрешение|permission",
        "не|no|not можна|можно|може|allowed телефон*|phone*|зв'яз*|связ*|контакт*|relatives|родин*|семь*|семейств*",
        "телефон*|phone* здат*|сда*|сдават|зда*|предава*|преда*|забир*|забира*|take|taken|hand*|surrender*",
        "проживан*|проживання|живете|living|live на|в|при|on территор*|території|обект*|site|premises|об'єкт*",
        "охорон*|охран*|guard*|закрит*|закрыт*|затворен*|locked|cannot_leave",
        "no|not|без|без|без free_day*|days_off|day_off|вихідн*|выходн*|почивн*",
    ),
    "employer_hidden": (
        "назв*|имя|име|name компан*|фірм*|фирм*|company|employer|роботодав*|работодател* повідом*|сообщ*|скаж*|кажем*|ще кажем|казв*|дізнает*|узнает*|given|told|disclosed",
        "без|no|not договор*|договір|контракт*|contract|офіційн*|официальн*|официалн*|official|документ*|paperwork",
        "неофіційн*|неофициальн*|неофициалн*|нелегал*|unofficial|informal|off_the_books",
        "приватн*|частн*|частен|private роботодав*|работодател*|работодател|employer|person",
    ),
    "messenger_only": (
        "тільки|лише|лиш|только|само|only вайбер*|viber|телеграм*|telegram|whatsapp|ватсап*|вотсап*|вацап*|месенджер*|мессенджер*|messenger|signal|директ|direct|лс|dm|лич*|особист*|privat*|pm",
        "пиш*|напиш*|write|text|message|dm|звертайт*|обращайт* в|у|на|in|on|to особист*|лич*|личк*|лс|privat*|pm|dm|direct|директ",
        "тільки|только|само|only писати|писать|пишете|write|text|message|sms|смс",
        "не|no|don't дзвон*|звон*|обажда*|call*",
    ),
    "no_requirements": (
        "без|no|not досвід*|опыт*|опит*|experience|знан*|знання|language|язык*|мов*|езиц*|skill*|навичок|навыков|умени*|qualification*|quality*",
        "досвід|досвіду|опыт|опит|experience|мова|язык|език|language не|no|not потріб*|нуж*|требу*|изиск*|нужн*|required|needed|necessary|matter",
        "будь_який|любой|всякакъв|any вік|возраст|възраст|age|досвід|опыт|опит|experience",
        "навч*|обуч*|научи*|train* на_місці|на_месте|на_място|on_the_job|provided",
    ),
    "vague_job": (
        "робота|работа|job|work без|no|not опис*|описани*|description|details",
        "деталі|подробност*|подробиц*|details|детайл* при|у|в|в|on|by|in особист*|лич*|лс|privat*|pm|dm|звонк*|телефон*|phone|request|зустріч*|встреч*|среща|interview",
        "різн*|разн*|различн*|various|any|all види|виды|вид*|kind*|type* робіт|робот*|работ*|work*|jobs",
        "робота|работа|job|work для|for|за всіх|всех|всички|всеки|everyone|anyone|all",
        "цікав*|интересн*|приятн*|interesting|nice робот*|работ*|job|work",
        "легк*|лек*|easy|simple робот*|работ*|job|work|задач*|task*",
    ),
    "urgency": (
        "терміно*|срочн*|спешн*|веднага|urgent*|immediately|asap",
        "виїзд*|выезд*|заминаване|заминава*|відправк*|отправк*|departure|leav*|start* вже|уже|вече|already|завтра|утре|tomorrow|цього_тижня|на_этой_неделе|тази_седмица|this_week|сьогодні|сегодня|днес|today",
        "кількість|количество|брой|броят|number місць|мест|места|places|spots|vacancies обмеж*|огранич*|limit*|ограничен*",
        "встигн*|успей*|успе*|побърза*|поспіш*|поторопи*|hurry|don't_miss|не_пропуст*|не_изпуск*",
        "last|последн*|останн* місц*|мест*|места|places|spots|chance|шанс",
    ),
    "targeted_young_women": (
        "дівч*|девушк*|девушек|девочк*|момич*|girl*|жінк*|женщин*|жени|жен|women|woman|lady|ladies|female* від|до|от|до|from|to|aged|age 18|16|17|19|20|21|22|23|25|28|30|35",
        "дівч*|девушк*|девушек|момич*|girl*|young_women|ladies молод*|young|привабл*|привлекат*|красив*|симпатичн*|атрактивн*|hübsch|attractive|pretty|slim",
        "молод*|young|привабл*|привлекат*|красив*|симпатичн*|атрактивн*|attractive|pretty|slim|стройн*|струнк*|слаб* дівч*|девушк*|девушек|момич*|girl*|women|woman|lady|ladies|жінк*|женщин*|жени",
        "зовнішн*|внешн*|външен|външност|фігур*|фигур*",
        "slim|attractive|pleasant|good figure|appearance|looks",
        "ріст|рост|ръст|height|розмір|размер|размер|size|вага|вес|тегло|weight від|до|от|from|under|над",
        "тільки|только|само|only дівч*|девушк*|девушек|жінк*|женщин*|жени|момич*|girl*|women|ladies",
    ),
    "photo_required": (
        "фото|фотограф*|фотк*|снимк*|снимка|photo*|pic*|picture*|selfie|селфи|селфі у|в|в|in|on повний|полный|цял|full зріст|рост|ръст|length|height|body",
        "надішл*|надсил*|відправ*|пришл*|присыла*|отправ*|изпрат*|изпращ*|send|attach* фото|фотограф*|фотк*|снимк*|снимка|photo*|pic*|picture*|selfie|селфи|селфі",
        "фото|фотограф*|фотк*|снимк*|снимка|photo*|pic*|picture*|selfie|селфи|селфі обов'язков*|обязательн*|задължителн*|required|must",
        "фото|фотограф*|фотк*|снимк*|снимка|photo*|pic*|picture*|selfie|селфи|селфі в|у|в|in|on купальник*|бельо|белье|білизн*|swimsuit|bikini|lingerie",
        "з|с|със|with фото|фотограф*|фотк*|снимк*|снимка|photo*|pic*|picture*|selfie|селфи|селфі",
    ),
    "adult_services_hint": (
        "хостес*|хостес|hostess*|ескорт*|эскорт*|escort*|компаньйон*|компаньон*|компаньонк*|companion*",
        "vip|віп|вип клієнт*|клиент*|client*|customer*|гост*|guest*|відпочин*|отдых*|почивк*|leisure|досуг*",
        "масаж*|массаж*|massage* для|for чоловік*|мужчин*|мъже|men|gentlemen|клієнт*|клиент*|client*",
        "еротичн*|эротическ*|эротичн*|еротичен|еротичн*|erotic*|інтим*|интим*|intimate",
        "нічн*|ночн*|нощ*|night клуб*|club*|бар*|bar*|заклад*|заведен*|venue*",
        "танц*|танцовщиц*|dancer*|dance go_go|гоу_гоу|стрип*|strip*|pole",
        "стриптиз*|striptease|go_go|гоу_гоу|pole_danc*",
        "досуг*|дозвілл*|leisure|вечірн* відпочин*|отдых*|компан*",
        "вебкам*|webcam*|веб_модел*|вебмодел*|webmodel*|вебкам",
        "супровід|сопровожден*|съпровод* чоловік*|мужчин*|мъже|men|gentlemen|клієнт*|клиент*|гост*",
    ),
    "cash_only": (
        "готівк*|наличн*|налични|в_брой|cash лише|тільки|только|само|only",
        "тільки|лише|только|само|only готівк*|наличн*|налични|в_брой|cash|на_руки|in_hand",
        "оплат*|плаща*|плащане|зарплат*|заплат*|payment|pay|paid|salary на_руки|в_конверт*|в_плик|in_hand|in_an_envelope|cash|готівк*|наличн*|налични|в_брой",
        "без|no|not банк*|bank|рахун*|счет*|сметк*|account|карт*|card|податк*|налог*|данъц*|tax*",
        "щоденн*|ежедневн*|всеки_ден|daily оплат*|выплат*|плащане|payment|pay|cash|розрахун*|расчет*",
    ),
    "irregular_visa": (
        "туристичн*|туристическ*|tourist віз*|виз*|visa",
        "документ*|documents|papers|віз*|виз*|visa* зроб*|сдела*|оформ*|направ*|уред*|уреж*|arrange*|make|made|sort*|handle* ми|мы|ние|we|our|нами|нас",
        "ми|мы|ние|we зроб*|сдела*|оформ*|направ*|уред*|уреж*|arrange*|make|sort*|handle* документ*|documents|papers|віз*|виз*|visa*",
        "біометр*|биометр*|biometric* достатн*|достаточн*|достатъчн*|enough|sufficient",
        "без|no|not віз*|виз*|visa* та|и|і|and|или|or дозвол*|разрешени*|разрешение|permit*",
        "польськ*|польск*|полск*|polish|європейськ*|европейск*|european|румунськ*|румынск*|румънск*|romanian|болгарськ*|болгарск*|български|bulgarian|литовськ*|литовск*|lithuanian паспорт*|passport*|документ*|documents",
        "без|no|not дозвол*|разрешени*|разрешение|permit*|легалізац*|легализац*|легализиране|legalisation|legalization",
    ),
    "smuggling_driver": (
        "човн*|лодк*|лодка|катер*|яхт*|boat*|speedboat*|rib|dinghy водій|водител*|водитель|водія|шофер*|шофьор*|капітан*|капитан*|driver*|skipper*|captain*",
        "водій|водител*|водитель|водія|шофер*|шофьор*|капітан*|капитан*|driver*|skipper*|captain* човн*|лодк*|лодка|катер*|яхт*|boat*|speedboat*|rib|dinghy|моторн*",
        "керувати|управлять|управля*|керування|drive|driving|operate|pilot* човн*|лодк*|лодка|катер*|яхт*|boat*|speedboat*|rib|dinghy|моторн*",
        "перевез*|перевоз*|превоз*|переправ*|transport*|ferry|ferrying|take|bring|carry|move людей|пасажир*|пассажир*|пътници|people|passengers|group*|груп*",
        "через|крізь|през|across|over кордон|границу|граница|границата|border|море|sea|channel|річк*|реку|реката|river",
        "перегон*|перегн*|deliver*|доставк*|достав* авто|машин*|кол*|car*|vehicle*|бус*|van* через|до|до|across|over|to кордон*|границ*|border*|швейцар*|польщ*|германи*|австр*",
        "нічн*|ночн*|нощ*|night рейс*|поїздк*|поездк*|курс*|trip*|run*|crossing*",
        "оплата|плащане|payment|pay|paid за|на|per рейс|курс|trip|run|поїздк*|поездк*|crossing|голов*|people|person",
    ),
    "refugee_benefit_scheme": (
        "статус* біжен*|беженц*|бежан*|refugee*",
        "тимчасов*_захист*|временн*_защит*|временна_закрила|temporary_protection",
        "біжен*|беженц*|бежан*|refugee*|тимчасов*_захист*|временн*_защит*|временна_закрила|temporary_protection оформ*|регистр*|реєстр*|зареєстр*|зарегистр*|register*|registration|статус|status|допомог*|помощ*|пособи*|benefit*|allowance",
        "оформ*|регистр*|реєстр*|зареєстр*|register* біжен*|беженц*|бежан*|refugee*",
        "соціальн*|социальн*|социалн*|social допомог*|помощ*|пособи*|выплат*|виплат*|benefit*|payment*|welfare",
        "банківськ*|банковск*|банков*|bank карт*|card* залиш*|оставит*|оставя*|переда*|віддат*|отдат*|дават*|give|hand|leave|keep|passed",
        "карт*|card* залиш*|оставит*|оставя*|переда*|віддат*|отдат*|дават*|give|hand|leave|keep|передаєте|оставляете|оставяте",
        "поїздк*|поездк*|пътуван*|trip європ*|европ*|europe безкоштовн*|бесплатн*|безплатн*|free|за_наш_рахунок|за_наш_счет|за_наша_сметка|at_our_expense",
        "грошов*|денежн*|парич*|money|cash допомог*|помощ*|помощ|help|aid|benefit*",
    ),
}

RAW: Final[dict[str, tuple[str, ...]]] = {
    # A handle or a messenger link is contact through a messenger.
    "messenger_only": (
        r"@(?<![\w.]@)[A-Za-z][A-Za-z0-9_]{3,31}\b",
        r"\bt\.me/\S+",
        r"\bwa\.me/\S+",
    ),
    # "girls 18-25", "18-30 years", "до 30 лет"
    "targeted_young_women": (
        r"1(?<!\w1)[6-9]\s?[-–—]\s?(?:2\d|3[0-5])\b(?!\s?(?:€|\$|eur|євро|евро|лв|грн|%))",
        r"[89](?<!\w[89])[05]\s?[-–/]\s?(?:60|65)\s?[-–/]\s?(?:90|85|80)\b",
    ),
    # A sum in euro or dollars of at least 2,500 a month, 120 a day.
    "deception_pay": (
        # 3,000 to 9,999 (five figures are a year's pay, not a month's)
        r"[3-9](?<![\d.,][3-9])(?<!\d[\s,.][3-9])[\s,.]?\d{3}(?![\d,.]\d)\s?(?:€|\$|eur\b|euro\b|євро\b|евро\b|usd\b|долар|доллар|dollar)",
        r"(?:€|\$)\s?[3-9][\s,.]?\d{3}\b(?![\d,.]\d)",
        r"[1-9](?<!\w[1-9])(?:(?<=1)[2-9]\d|(?<=[2-9])\d\d)\s?(?:€|\$|eur\b|euro\b|євро\b|евро\b|usd\b|долар|доллар|dollar)\w*\s?(?:на|в|per|a|/)\s?(?:день|ден|day|нощ|ніч|ночь|смен|зміну|shift)",
    ),
}

_CURRENCY: Final = ("€", "$", "eur", "євро", "евро", "usd", "долар", "доллар", "dollar")

NEEDLES: Final[dict[str, tuple[str, ...]]] = {
    RAW["messenger_only"][0]: ("@",),
    RAW["messenger_only"][1]: ("t.me/",),
    RAW["messenger_only"][2]: ("wa.me/",),
    RAW["targeted_young_women"][1]: ("60", "65"),
    RAW["deception_pay"][0]: _CURRENCY,
    RAW["deception_pay"][1]: ("€", "$"),
    RAW["deception_pay"][2]: _CURRENCY,
}
"""For a pattern of ``RAW``, strings of which its matches always hold one, in
the text's case-folded form (``str.casefold`` folds every character that
matches a letter without regard to case into that letter): a text holding
none of them is not searched. Most ads hold none, and a scan for a plain
string is many times faster than one for a pattern (one that begins at a
word boundary is tried at every character). A pattern not named here is
always searched."""
