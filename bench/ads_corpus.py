"""Nitka's own labelled set of recruitment ads (uk, ru, bg, en), composed from
phrases written for it: ``python -m bench.ads_corpus`` writes
``src/nitka/ads/data/ads.jsonl`` (see the README beside it).

Each ad is put together from a job, a place, and the phrases of the
indicators its kind carries (risky kinds: a scheme of the ILO indicators or
the seeds'; benign kinds: licensed agencies placing seasonal workers abroad
and local jobs, some with the weak indicators honest ads show too). The
label and the indicators of an ad are those it was composed with. The split
is fixed by id; the last phrase of every list of three or more is kept for
test ads, so the test split holds wordings that no training ad has.
"""

from __future__ import annotations

import hashlib
import random
import sys
from pathlib import Path

import orjson

OUT = Path(__file__).resolve().parents[1] / "src" / "nitka" / "ads" / "data" / "ads.jsonl"
SEED = 24

# code -> lang -> phrases (last one: test split only)
PHRASES: dict[str, dict[str, list[str]]] = {
    "deception_pay": {
        "uk": [
            "Зарплата від 3500 євро на місяць.",
            "Заробіток до 5000 € без вкладень!",
            "Легкі гроші: 150 євро на день.",
        ],
        "ru": [
            "Зарплата от 4000 евро в месяц.",
            "Высокий доход до 6000 $ в месяц!",
            "Лёгкие деньги: 200 евро в день.",
        ],
        "bg": [
            "Заплата от 3500 евро на месец.",
            "Висок доход до 5000 € месечно!",
            "Лесни пари: 150 евро на ден.",
        ],
        "en": [
            "Salary from 4000 EUR a month.",
            "Earn up to $6,000 monthly!",
            "Easy money: 200 euro per day.",
        ],
    },
    "upfront_fee": {
        "uk": [
            "Оплата за оформлення документів 300 євро.",
            "Передоплата за квиток 150 євро, решта на місці.",
            "Вартість послуг агенції 400 євро наперед.",
        ],
        "ru": [
            "Оплата за оформление визы 350 евро.",
            "Предоплата за билет 200 евро, остальное на месте.",
            "Стоимость услуг агентства 500 евро заранее.",
        ],
        "bg": [
            "Такса за оформяне на документи 300 евро.",
            "Предплата за билета 150 евро, останалото на място.",
            "Таксата за услуги на агенцията е 400 евро предварително.",
        ],
        "en": [
            "A processing fee of 300 EUR for the visa.",
            "Pay for the ticket in advance, 150 EUR.",
            "A registration fee of 250 EUR is paid before the job starts.",
        ],
    },
    "debt_bondage": {
        "uk": [
            "Дорогу та житло оплачуємо, потім вираховуємо із зарплати.",
            "Квиток у борг, відпрацюєш на місці.",
            "Проїзд за наш рахунок, відробиш за перший місяць.",
        ],
        "ru": [
            "Дорогу и жильё оплачиваем, потом вычитаем из зарплаты.",
            "Билет в долг, отработаешь на месте.",
            "Проезд за наш счёт, отработаешь в первый месяц.",
        ],
        "bg": [
            "Пътя и квартирата ги плащаме, после удържаме от заплатата.",
            "Билетът е на дълг, ще го изработиш на място.",
            "Пътя го поемаме ние, ще го изработиш през първия месец.",
        ],
        "en": [
            "We pay your travel and housing, then deduct it from your wages.",
            "Ticket on credit, you work off the debt there.",
            "Travel paid by us, you repay it from the first salary.",
        ],
    },
    "documents_retained": {
        "uk": [
            "Паспорт здаєте бригадиру на зберігання.",
            "Документи зберігаються у роботодавця.",
            "Паспорт забираємо на час контракту для безпеки.",
        ],
        "ru": [
            "Паспорт сдаёте бригадиру на хранение.",
            "Документы хранятся у работодателя.",
            "Паспорт забираем на время контракта для безопасности.",
        ],
        "bg": [
            "Паспорта го предавате на бригадира за съхранение.",
            "Документите се пазят при работодателя.",
            "Паспортите ги задържаме за срока на договора.",
        ],
        "en": [
            "You hand your passport to the coordinator for safekeeping.",
            "Documents are kept by the employer.",
            "We hold your passport for the length of the contract.",
        ],
    },
    "movement_restriction": {
        "uk": [
            "Проживання на території об'єкта, виходити тільки з бригадиром.",
            "Телефони здаєте на час роботи.",
            "Вихід з гуртожитку лише з дозволу охорони.",
        ],
        "ru": [
            "Проживание на территории объекта, выходить только с бригадиром.",
            "Телефоны сдаёте на время работы.",
            "Выход из общежития только с разрешения охраны.",
        ],
        "bg": [
            "Живеете на обекта, излизате само с бригадира.",
            "Телефоните се предават по време на работа.",
            "Излизане от общежитието само с разрешение на охраната.",
        ],
        "en": [
            "You live on site and leave only with the supervisor.",
            "Phones are taken during work.",
            "No leaving the hostel without permission from the guards.",
        ],
    },
    "employer_hidden": {
        "uk": [
            "Назву фірми повідомимо при зустрічі.",
            "Працюємо неофіційно, без договору.",
            "Приватний роботодавець.",
        ],
        "ru": [
            "Название компании сообщим при встрече.",
            "Работа неофициальная, без договора.",
            "Частный работодатель.",
        ],
        "bg": [
            "Името на фирмата ще кажем на срещата.",
            "Работа без договор, неофициално.",
            "Частен работодател.",
        ],
        "en": [
            "The company name will be given at the meeting.",
            "Informal work, no contract.",
            "Private employer.",
        ],
    },
    "messenger_only": {
        "uk": [
            "Пишіть тільки у Телеграм @robota_evropa_ua.",
            "Зв'язок лише у Viber, не дзвонити.",
            "Пишіть в особисті, деталі там.",
        ],
        "ru": [
            "Пишите только в Телеграм @rabota_evro_now.",
            "Связь только в WhatsApp, не звонить.",
            "Пишите в личку, подробности там.",
        ],
        "bg": [
            "Пишете само в Телеграм @rabota_chuzhbina.",
            "Връзка само по Viber, без обаждания.",
            "Пишете на лично, подробности там.",
        ],
        "en": [
            "Message only on Telegram @eu_jobs_fast.",
            "Contact only via WhatsApp, no calls.",
            "DM me for details.",
        ],
    },
    "no_requirements": {
        "uk": [
            "Досвід не потрібен, знання мови не потрібне.",
            "Без досвіду, без знання мови.",
            "Будь-який вік, досвід не потрібен.",
        ],
        "ru": [
            "Опыт не нужен, знание языка не требуется.",
            "Без опыта, без знания языка.",
            "Любой возраст, опыт не нужен.",
        ],
        "bg": [
            "Не се изисква опит, не се изисква език.",
            "Без опит, без език.",
            "Всякаква възраст, опит не е нужен.",
        ],
        "en": [
            "No experience needed, no language required.",
            "No experience, no skills needed.",
            "Any age, experience does not matter.",
        ],
    },
    "vague_job": {
        "uk": ["Робота легка, деталі в особисті.", "Різні види робіт.", "Цікава робота для всіх."],
        "ru": [
            "Работа лёгкая, подробности в личку.",
            "Разные виды работ.",
            "Интересная работа для всех.",
        ],
        "bg": [
            "Лека работа, подробности на лично.",
            "Различни видове работа.",
            "Приятна работа за всички.",
        ],
        "en": [
            "Easy work, details in private.",
            "Various kinds of jobs.",
            "Interesting work for everyone.",
        ],
    },
    "urgency": {
        "uk": [
            "Терміново! Виїзд вже завтра.",
            "Кількість місць обмежена, встигни!",
            "Останні місця, виїзд цього тижня.",
        ],
        "ru": [
            "Срочно! Выезд уже завтра.",
            "Количество мест ограничено, успей!",
            "Последние места, выезд на этой неделе.",
        ],
        "bg": [
            "Спешно! Заминаване още утре.",
            "Броят места е ограничен, побързай!",
            "Последни места, заминаване тази седмица.",
        ],
        "en": [
            "Urgent! Departure tomorrow.",
            "Places are limited, hurry!",
            "Last places, departure this week.",
        ],
    },
    "targeted_young_women": {
        "uk": [
            "Запрошуємо дівчат від 18 до 25 років.",
            "Потрібні молоді привабливі дівчата 18-28.",
            "Тільки дівчата, струнка фігура.",
        ],
        "ru": [
            "Приглашаем девушек от 18 до 25 лет.",
            "Нужны молодые привлекательные девушки 18-28.",
            "Только девушки, стройная фигура.",
        ],
        "bg": [
            "Търсим момичета от 18 до 25 години.",
            "Нужни са млади привлекателни момичета 18-28.",
            "Само момичета, стройна фигура.",
        ],
        "en": [
            "Girls aged 18 to 25 wanted.",
            "Young attractive women 18-28 needed.",
            "Only girls, slim figure.",
        ],
    },
    "photo_required": {
        "uk": [
            "Надішліть фото в повний зріст.",
            "Фото обов'язково.",
            "Анкета з фото в купальнику.",
        ],
        "ru": ["Пришлите фото в полный рост.", "Фото обязательно.", "Анкета с фото в купальнике."],
        "bg": [
            "Изпратете снимка в цял ръст.",
            "Снимка задължително.",
            "Кандидатстване със снимка по бански.",
        ],
        "en": ["Send a full-length photo.", "Photo required.", "Apply with photos in a swimsuit."],
    },
    "adult_services_hint": {
        "uk": [
            "Робота хостес у нічному клубі.",
            "Спілкування з VIP-клієнтами.",
            "Масаж для чоловіків, вечірній відпочинок.",
        ],
        "ru": [
            "Работа хостес в ночном клубе.",
            "Общение с VIP-клиентами.",
            "Массаж для мужчин, досуг.",
        ],
        "bg": [
            "Работа като хостеса в нощен клуб.",
            "Компания на VIP клиенти.",
            "Масаж за мъже, вечерни забавления.",
        ],
        "en": [
            "Hostess work in a night club.",
            "Keeping VIP clients company.",
            "Massage for gentlemen, evening escort.",
        ],
    },
    "cash_only": {
        "uk": [
            "Оплата тільки готівкою, щотижня.",
            "Зарплата на руки, без податків.",
            "Щоденна оплата готівкою.",
        ],
        "ru": [
            "Оплата только наличными, еженедельно.",
            "Зарплата на руки, без налогов.",
            "Ежедневная оплата наличными.",
        ],
        "bg": [
            "Плащане само в брой, всяка седмица.",
            "Заплата на ръка в плик, без данъци.",
            "Ежедневно плащане в брой.",
        ],
        "en": ["Paid in cash only, weekly.", "Salary in hand, no taxes.", "Daily payment in cash."],
    },
    "irregular_visa": {
        "uk": [
            "Їдемо по туристичній візі, на місці все оформимо.",
            "Документи зробимо ми, польський паспорт не потрібен.",
            "Біометрії достатньо, дозвіл на роботу не потрібен.",
        ],
        "ru": [
            "Едем по туристической визе, на месте всё оформим.",
            "Документы сделаем мы.",
            "Биометрии достаточно, разрешение на работу не нужно.",
        ],
        "bg": [
            "Пътуваме с туристическа виза, на място ще оформим всичко.",
            "Документите ги уреждаме ние.",
            "Без виза и разрешение за работа, всичко уреждаме.",
        ],
        "en": [
            "Travel on a tourist visa, we sort out the rest there.",
            "We arrange the documents for you.",
            "No visa or permit needed, we handle the papers.",
        ],
    },
    "smuggling_driver": {
        "uk": [
            "Потрібен водій човна, нічні рейси через море.",
            "Перевезення людей через кордон, оплата за рейс.",
            "Шукаємо капітана катера, перевезти пасажирів через річку.",
        ],
        "ru": [
            "Нужен водитель лодки, ночные рейсы через море.",
            "Перевозка людей через границу, оплата за рейс.",
            "Ищем капитана катера, перевезти пассажиров через реку.",
        ],
        "bg": [
            "Търсим шофьор на лодка, нощни курсове през морето.",
            "Превоз на хора през границата, плащане на курс.",
            "Търсим капитан на моторна лодка, превоз на пътници през реката.",
        ],
        "en": [
            "Boat driver needed, night runs across the sea.",
            "Driving people across the border, paid per trip.",
            "Skipper wanted to ferry passengers across the channel.",
        ],
    },
    "refugee_benefit_scheme": {
        "uk": [
            "Безкоштовна поїздка в Європу, оформимо статус біженця.",
            "Отримаєте соціальну допомогу, банківську картку залишаєте нам.",
            "Допоможемо зареєструватися біженцем і отримати грошову допомогу.",
        ],
        "ru": [
            "Бесплатная поездка в Европу, оформим статус беженца.",
            "Получите социальное пособие, банковскую карту оставляете нам.",
            "Поможем зарегистрироваться беженцем и получить денежную помощь.",
        ],
        "bg": [
            "Безплатно пътуване до Европа, ще ви регистрираме като бежанец.",
            "Ще получите социални помощи, банковата карта я оставяте на нас.",
            "Помагаме с временна закрила и парична помощ.",
        ],
        "en": [
            "Free trip to Europe, we register you as a refugee.",
            "You get social benefits, and leave your bank card with us.",
            "We help you get temporary protection and cash aid.",
        ],
    },
}

JOBS = {
    "uk": [
        "Робота на складі",
        "Збір полуниці",
        "Робота на фабриці",
        "Прибирання в готелях",
        "Робота на будівництві",
        "Догляд за літніми людьми",
        "Пакування овочів",
    ],
    "ru": [
        "Работа на складе",
        "Сбор клубники",
        "Работа на фабрике",
        "Уборка в гостиницах",
        "Работа на стройке",
        "Уход за пожилыми",
        "Упаковка овощей",
    ],
    "bg": [
        "Работа в склад",
        "Бране на ягоди",
        "Работа във фабрика",
        "Почистване в хотели",
        "Работа на строеж",
        "Грижа за възрастни хора",
        "Опаковане на зеленчуци",
    ],
    "en": [
        "Warehouse work",
        "Strawberry picking",
        "Factory work",
        "Hotel cleaning",
        "Construction work",
        "Elderly care",
        "Vegetable packing",
    ],
}
PLACES = {
    "uk": [
        "у Польщі",
        "у Німеччині",
        "у Чехії",
        "в Нідерландах",
        "в Іспанії",
        "в Туреччині",
        "в ОАЕ",
    ],
    "ru": ["в Польше", "в Германии", "в Чехии", "в Нидерландах", "в Испании", "в Турции", "в ОАЭ"],
    "bg": ["в Полша", "в Германия", "в Чехия", "в Холандия", "в Испания", "в Турция", "в ОАЕ"],
    "en": [
        "in Poland",
        "in Germany",
        "in Czechia",
        "in the Netherlands",
        "in Spain",
        "in Turkey",
        "in the UAE",
    ],
}
ABROAD = {"uk": "Робота", "ru": "Работа", "bg": "Работа", "en": "Work"}
FRONT = {
    "uk": ["Компанія ТОВ «Світ Праці».", "Кадрова агенція «Європа Плюс»."],
    "ru": ["Компания ООО «Мир Труда».", "Кадровое агентство «Европа Плюс»."],
    "bg": ["Фирма „Свят на труда“ ЕООД.", "Агенция „Европа Плюс“."],
    "en": ["World of Work Ltd.", "Europe Plus Staffing."],
}
HOME = {"uk": "у Львові", "ru": "в Харькове", "bg": "в Пловдив", "en": "in Leeds"}

# Honest ads: what makes them honest, and the weak signs they may show too.
AGENCY = {
    "uk": [
        "ТОВ «Захід-Кадри», ліцензія Мінекономіки № 1457 від 12.03.2021.",
        "Агенція працевлаштування ТзОВ «Euro-Praca», ліцензія № 882, м. Львів, вул. Городоцька 45.",
        "ТОВ «Карпати Джоб», ЄДРПОУ 41234567, офіс: вул. Шевченка 12.",
    ],
    "ru": [
        "ООО «Кадры Запад», лицензия № 1457 от 12.03.2021.",
        "Агентство ООО «Евро-Работа», лицензия № 882, г. Харьков, ул. Сумская 45.",
        "ООО «Карпаты Джоб», ИНН 7712345678, офис: ул. Ленина 12.",
    ],
    "bg": [
        "„Запад Кадри“ ЕООД, лиценз на Агенцията по заетостта № 1457 от 2021 г.",
        "Агенция за подбор „Евро Труд“ ООД, лиценз № 882, гр. Пловдив, ул. „Гладстон“ 45.",
        "„Карпати Джоб“ ЕООД, ЕИК 204123456, офис: бул. „Витоша“ 12.",
    ],
    "en": [
        "West Staffing Ltd, licensed by the Gangmasters and Labour Abuse Authority, licence no. 1457.",
        "EuroWork Recruitment Ltd, licence 882, office at 45 King Street, Leeds.",
        "Carpathian Jobs LLC, reg. no. 41234567, office 12, 3 Station Road.",
    ],
}
CONTRACT = {
    "uk": [
        "Офіційне працевлаштування, трудовий договір з роботодавцем.",
        "Робоча віза та дозвіл на роботу за рахунок роботодавця.",
        "Оплата на банківський рахунок, повний соцпакет.",
    ],
    "ru": [
        "Официальное трудоустройство, трудовой договор с работодателем.",
        "Рабочая виза и разрешение на работу за счёт работодателя.",
        "Оплата на банковский счёт, полный соцпакет.",
    ],
    "bg": [
        "Официален трудов договор с работодателя.",
        "Работна виза и разрешение за работа за сметка на работодателя.",
        "Заплащане по банкова сметка, пълен социален пакет.",
    ],
    "en": [
        "A written employment contract with the employer.",
        "Work permit arranged and paid by the employer.",
        "Wages paid into your bank account, full insurance.",
    ],
}
PAY = {
    "uk": [
        "Ставка 6 євро на годину нетто.",
        "Зарплата 1200–1500 євро на місяць.",
        "Оплата 28 000 грн на місяць.",
    ],
    "ru": [
        "Ставка 6 евро в час нетто.",
        "Зарплата 1200–1500 евро в месяц.",
        "Оплата 45 000 руб. в месяц.",
    ],
    "bg": [
        "Ставка 6 евро на час нето.",
        "Заплата 1200–1500 евро на месец.",
        "Заплата 1800 лв. на месец.",
    ],
    "en": ["6 EUR an hour net.", "Salary 1,200–1,500 EUR a month.", "GBP 11.50 an hour."],
}
DUTIES = {
    "uk": [
        "Обов'язки: комплектація замовлень, робота зі сканером.",
        "Графік 5/2 по 8 годин, житло надається за 200 євро на місяць.",
        "Вимоги: досвід від року, медична книжка.",
    ],
    "ru": [
        "Обязанности: комплектация заказов, работа со сканером.",
        "График 5/2 по 8 часов, жильё предоставляется за 200 евро в месяц.",
        "Требования: опыт от года, медицинская книжка.",
    ],
    "bg": [
        "Задължения: комплектоване на поръчки, работа със скенер.",
        "График 5/2 по 8 часа, квартира срещу 200 евро на месец.",
        "Изисквания: опит от една година, медицинско свидетелство.",
    ],
    "en": [
        "Duties: picking orders, using a hand scanner.",
        "Shifts 5 days a week, 8 hours; housing offered at 200 EUR a month.",
        "Requirements: a year's experience, a health certificate.",
    ],
}
CONTACT = {
    "uk": [
        "Резюме надсилайте на hr@zahid-kadry.ua або телефонуйте +380 32 245 11 22.",
        "Тел. +380 67 123 45 67 (також Viber), e-mail: office@europraca.com.ua.",
        "Подати заявку: www.karpatyjob.ua/vacancies.",
    ],
    "ru": [
        "Резюме присылайте на hr@kadry-zapad.ru или звоните +380 57 700 11 22.",
        "Тел. +380 67 123 45 67 (также Viber), e-mail: office@evro-rabota.com.",
        "Подать заявку: www.karpaty-job.com/vacancies.",
    ],
    "bg": [
        "CV на hr@zapad-kadri.bg или на тел. 032 645 112.",
        "Тел. 0888 123 456 (и Viber), имейл: office@eurotrud.bg.",
        "Кандидатствайте на www.karpatijob.bg/jobs.",
    ],
    "en": [
        "Send your CV to hr@weststaffing.co.uk or call 0113 245 1122.",
        "Tel. 0113 496 0000, e-mail office@eurowork.co.uk.",
        "Apply at www.carpathianjobs.com/vacancies.",
    ],
}
WEAK = ("urgency", "no_requirements", "photo_required", "messenger_only")
HONEST_WEAK = {
    "urgency": {
        "uk": ["Терміново потрібні працівники."],
        "ru": ["Срочно требуются работники."],
        "bg": ["Спешно търсим работници."],
        "en": ["Urgent: workers needed."],
    },
    "no_requirements": {
        "uk": ["Досвід не потрібен, навчання на місці."],
        "ru": ["Опыт не нужен, обучение на месте."],
        "bg": ["Не се изисква опит, обучение на място."],
        "en": ["No experience needed, training on the job."],
    },
    "photo_required": {
        "uk": ["Резюме з фото."],
        "ru": ["Резюме с фото."],
        "bg": ["CV със снимка."],
        "en": ["CV with photo."],
    },
    "messenger_only": {
        "uk": ["Пишіть тільки у Viber, офіс: вул. Городоцька 45."],
        "ru": ["Пишите только в Viber, офис: ул. Сумская 45."],
        "bg": ["Пишете само по Viber, офис: ул. „Гладстон“ 45."],
        "en": ["Message only on WhatsApp; office at 45 King Street."],
    },
}
HONEST_HARD = {
    # Honest ads that share words with the risky ones.
    "uk": [
        "Адміністратор ресепшн у готелі, вимоги: англійська B2.",
        "Водій категорії CE, міжнародні перевезення по ЄС, тахограф.",
        "Масажист у санаторії, медична освіта обов'язкова.",
    ],
    "ru": [
        "Администратор ресепшн в гостинице, требования: английский B2.",
        "Водитель категории CE, международные перевозки по ЕС, тахограф.",
        "Массажист в санатории, медицинское образование обязательно.",
    ],
    "bg": [
        "Администратор на рецепция в хотел, изисква се английски B2.",
        "Шофьор категория CE, международни превози в ЕС, тахограф.",
        "Масажист в СПА хотел, медицинско образование задължително.",
    ],
    "en": [
        "Hotel receptionist, English at B2 required.",
        "HGV driver, class CE, EU routes, digital tachograph.",
        "Massage therapist at a physiotherapy clinic, certified training required.",
    ],
}

# Risky kinds: the schemes (their core indicators, and the ones often around them).
SCHEMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "labour_debt": (
        ("debt_bondage", "documents_retained"),
        ("no_requirements", "urgency", "employer_hidden", "cash_only", "movement_restriction"),
    ),
    "labour_lure": (
        ("deception_pay", "no_requirements"),
        ("urgency", "messenger_only", "vague_job", "cash_only", "employer_hidden"),
    ),
    "fee_visa": (
        ("upfront_fee", "irregular_visa"),
        ("urgency", "messenger_only", "no_requirements", "deception_pay"),
    ),
    "sexual": (
        ("targeted_young_women", "adult_services_hint"),
        ("photo_required", "deception_pay", "messenger_only", "no_requirements", "debt_bondage"),
    ),
    "model_lure": (
        ("targeted_young_women", "photo_required"),
        ("deception_pay", "vague_job", "messenger_only", "urgency"),
    ),
    "smuggling": (
        ("smuggling_driver", "deception_pay"),
        ("messenger_only", "cash_only", "urgency", "no_requirements"),
    ),
    "refugee": (
        ("refugee_benefit_scheme",),
        ("messenger_only", "urgency", "vague_job", "no_requirements", "debt_bondage"),
    ),
    "closed_camp": (
        ("movement_restriction", "documents_retained"),
        ("deception_pay", "cash_only", "no_requirements", "employer_hidden"),
    ),
}


def _split(ad_id: str) -> str:
    return "test" if int(hashlib.sha256(ad_id.encode()).hexdigest(), 16) % 4 == 0 else "train"


def _pick(rng: random.Random, items: list[str], split: str) -> str:
    pool = items if split == "test" or len(items) < 3 else items[:-1]
    if split == "test" and len(items) >= 3 and rng.random() < 0.6:
        return items[-1]
    return rng.choice(pool)


def _risky(rng: random.Random, lang: str, split: str) -> tuple[str, str, list[str]]:
    kind = rng.choice(sorted(SCHEMES))
    core, around = SCHEMES[kind]
    codes = list(core) + rng.sample(around, rng.randint(0, 2))
    if kind in ("labour_debt", "closed_camp", "fee_visa", "smuggling") and rng.random() < 0.3:
        codes = [core[0], *rng.sample(around, 1)]
    job = rng.choice(JOBS[lang]) + " " + rng.choice(PLACES[lang])
    if kind in ("sexual", "model_lure", "refugee"):
        job = ABROAD[lang] + " " + rng.choice(PLACES[lang])
    body = [_pick(rng, PHRASES[c][lang], split) for c in codes]
    rng.shuffle(body)
    codes_shown = set(codes)
    if "employer_hidden" not in codes_shown and rng.random() < 0.25:
        # Scams often name a company of sorts, without licence or address.
        body.append(rng.choice(FRONT[lang]))
    elif "employer_hidden" not in codes_shown:
        codes_shown.add("employer_hidden")  # no company, address or licence: the ad names none
    return kind, " ".join([job + ".", *body]), sorted(codes_shown)


def _benign(rng: random.Random, lang: str, split: str) -> tuple[str, str, list[str]]:
    kind = rng.choice(["agency_abroad", "agency_abroad", "local_job", "hard_lookalike"])
    codes: list[str] = []
    if kind == "local_job":
        head = rng.choice(JOBS[lang]) + " " + HOME[lang] + "."
    elif kind == "hard_lookalike":
        head = _pick(rng, HONEST_HARD[lang], split)
    else:
        head = rng.choice(JOBS[lang]) + " " + rng.choice(PLACES[lang][:5]) + "."
    parts = [
        head,
        _pick(rng, AGENCY[lang], split),
        _pick(rng, PAY[lang], split),
        _pick(rng, DUTIES[lang], split),
    ]
    if rng.random() < 0.6:
        parts.append(_pick(rng, CONTRACT[lang], split))
    for weak in rng.sample(WEAK, rng.choice([0, 1, 1, 2])):
        parts.append(HONEST_WEAK[weak][lang][0])
        codes.append(weak)
    parts.append(_pick(rng, CONTACT[lang], split))
    return kind, " ".join(parts), sorted(codes)


def compose(per_language: int = 130) -> list[dict[str, object]]:
    rng = random.Random(SEED)
    ads: list[dict[str, object]] = []
    for lang in ("uk", "ru", "bg", "en"):
        for n in range(per_language):
            ad_id = f"{lang}-{n:03d}"
            split = _split(ad_id)
            risky = n % 2 == 0
            kind, text, codes = (_risky if risky else _benign)(rng, lang, split)
            ads.append(
                {
                    "id": ad_id,
                    "lang": lang,
                    "label": "risky" if risky else "benign",
                    "kind": kind,
                    "indicators": codes,
                    "split": split,
                    "text": text,
                }
            )
    return ads


def main() -> None:
    ads = compose()
    OUT.write_bytes(b"".join(orjson.dumps(ad) + b"\n" for ad in ads))
    print(f"{len(ads)} ads written to {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
