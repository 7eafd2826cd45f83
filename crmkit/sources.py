"""The five source texts of the kit, and what the kit says each of them says, as data.

The course is built on five short texts (kept outside the package, in
``../shared/seeds/`` beside the repository; the kit never ships them). This
module records, once:

`SOURCES`
    One `Source` per text: its number, language, title as the text prints it,
    an English title and what the kit takes from it.
`CLAIMS`
    One `Claim` per statement the lessons and exercises make about a source:
    what the kit says (in English), the source's own words (verbatim, in the
    source's language), the lessons and exercise notebooks that make it, and,
    where the kit goes further than the source, a note that says so.

`tests/test_sources.py` checks every recorded phrase against the text itself,
every lesson and exercise named, and that every "source 00N" a lesson mentions
has a claim recorded for that lesson. A new sentence of the form "source 00N
says..." therefore needs a claim here, with the words it rests on.

`sources_frame` and `claims_frame` give the same as tables with readable
headers (lesson 00 shows the first).

Examples
--------
>>> from crmkit.sources import SOURCES, by_number, claims_for
>>> [s.number for s in SOURCES]
['000', '001', '002', '003', '004']
>>> by_number("004").language
'Finnish'
>>> claim = claims_for(source="004", lesson=3)[0]
>>> claim.phrase
'Seuraavaksi ovat vaiheet, joista asiakassuhteet voivat kehittyä'
"""

# ruff: noqa: RUF001  (the phrases are real Cyrillic and Persian text)
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "CLAIMS",
    "SOURCES",
    "Claim",
    "Source",
    "by_number",
    "claims_for",
    "claims_frame",
    "sources_frame",
]


@dataclass(frozen=True)
class Source:
    """One source text.

    Parameters
    ----------
    number : str
        ``"000"`` to ``"004"``: the number of the text (its file name starts with it).
    code : str
        The code used in `crmkit.concepts.SOURCES` and in ``Concept.source``,
        such as ``"000 (pl)"``.
    language : str
        The language the text is written in, in English (``"Polish"``).
    title : str
        The title as the text prints it (its first line), in its own language.
    title_en : str
        The title in English.
    takes : str
        What the kit takes from the text, in a sentence or two.
    """

    number: str
    code: str
    language: str
    title: str
    title_en: str
    takes: str


@dataclass(frozen=True)
class Claim:
    """One statement the kit makes about what a source says.

    Parameters
    ----------
    source : str
        The number of the source (``"003"``).
    says : str
        What the kit says the source says, in English.
    phrase : str
        The source's own words the statement rests on, verbatim (in the source's
        language; line breaks and runs of spaces do not matter).
    lessons : tuple of int
        The lessons (numbers of `crmkit.lessons.LESSONS`) that make the statement.
    exercises : tuple of str, default=()
        The exercise notebooks (``"ex1"`` ... ``"ex5"``) that make it.
    note : str, default=""
        Where the kit reads more into the source than it says, or its data
        differs: the kit's own assumption, said plainly.
    """

    source: str
    says: str
    phrase: str
    lessons: tuple[int, ...]
    exercises: tuple[str, ...] = ()
    note: str = ""


SOURCES: tuple[Source, ...] = (
    Source(
        "000", "000 (pl)", "Polish",
        "10 Strategie budowania lepszych relacji z klientami",
        "Ten strategies for building better customer relationships",
        "The ten relationship strategies; the customer flow (acquisition, satisfaction or "
        "dissatisfaction, retention or defection, win-back); the four steps of a retention "
        "programme; the four components of satisfaction; why satisfaction and retention "
        "matter to a market leader.",
    ),
    Source(
        "001", "001 (fa)", "Persian",
        "مدیریت استراتژیک وفاداری مشتری",
        "Strategic management of customer loyalty",
        "Reichheld's link between satisfaction, loyalty and profit and his life-insurance "
        "example (5% more retention, 18% lower cost per policy); satisfied versus "
        "expectations exceeded; the loyalty KPIs; the practices of a customer-centric "
        "culture.",
    ),
    Source(
        "002", "002 (fa)", "Persian",
        "اقدامات اساسی در مدیریت مشتریان",
        "Basic actions in customer management",
        "New customers by newness; whom acquisition targets, the awareness tools and the CRM "
        "tools for acquisition; win-back offers; the four stages of customer development; "
        "positive and negative retention strategies, whom to retain and the CRM tools for "
        "retention; which relationships to end, and three ways to end them.",
    ),
    Source(
        "003", "003 (ru)", "Russian",
        "Оптимизация взаимоотношений с клиентами: концепции и методы",
        "Optimising customer relationships: concepts and methods",
        "What a customer relationship is; relationship marketing and CRM; the loyalty "
        "challenge and social CRM; the three levers (satisfy, optimise the experience, "
        "develop engagement); the vigilance points (consistency across channels, every "
        "touchpoint including the back office, proportionate mastery, the satisfaction "
        "survey).",
    ),
    Source(
        "004", "004 (fi)", "Finnish",
        "Asiakassuhde",
        "The customer relationship",
        "What a customer relationship is and how it is measured; the seven relationship "
        "types; the five lifecycle stages and why relationships end; six ways to improve a "
        "relationship; the administrative CRM actions.",
    ),
)
"""The five source texts, in order."""

_C = Claim

CLAIMS: tuple[Claim, ...] = (
    # -- 000, Polish --------------------------------------------------------- #
    _C("000", "It lists ten strategies for building better customer relationships.",
       "Niektóre z głównych strategii stosowanych do budowania lepszych relacji z klientami",
       (0, 5), ("ex3",)),
    _C("000", "Strategy 1: every employee, from the lowest level to the highest, works toward "
       "customer satisfaction.",
       "Wszyscy pracownicy od najniższego do najwyższego szczebla muszą zintegrować swoje "
       "działania", (5, 11)),
    _C("000", "The marketing department can coordinate that shared effort.",
       "Dział marketingu może koordynować zintegrowane działania", (5,)),
    _C("000", "Strategy 2: processes are designed from the customers' point of view.",
       "Proces musi być uzyskany z punktu widzenia klientów", (5,)),
    _C("000", "Strategy 3: the product or service keeps adding value and meets expectations.",
       "musi stale zapewniać wartość dodaną i należy pamiętać o oczekiwaniach klienta", (5,)),
    _C("000", "Strategy 4: process, product, people and management are integrated.",
       "zintegrować proces produkt / usługa, ludzi i zarządzanie", (5,)),
    _C("000", "Strategy 5: customers are analysed, including their place on the loyalty "
       "ladder.",
       "miejsca, w którym są umieszczani na drabinie lojalności", (5,), ("ex3",),
       "The rung names (prospect to partner) are the kit's addition; the source names only "
       "the ladder."),
    _C("000", "An outside agency can do the customer analysis, for an objective picture.",
       "organizacja może polegać na zewnętrznej agencji w celu uzyskania obiektywnych "
       "informacji", (5,)),
    _C("000", "Strategy 6: costs are cut through value analysis and value engineering, "
       "without lowering quality.",
       "poprzez przyjęcie analizy wartości i inżynierii wartości bez obniżania jakości",
       (5, 9), ("ex3",)),
    _C("000", "Good products at a lower price keep customers from switching to competitors.",
       "unikałoby to przełączania klientów na produkty / usługi konkurencji", (5,)),
    _C("000", "Strategy 7: performance is monitored, and a trained team starts corrective "
       "action.",
       "musi istnieć oddzielny zespół członków dobrze wyszkolonych do oceny wyników i "
       "inicjowania działań korygujących", (5, 11)),
    _C("000", "Strategy 8: training in customer service, communication and complaint "
       "handling for the whole supply chain.",
       "Należy zapewnić szkolenia w zakresie obsługi klienta, komunikacji z klientami i "
       "zarządzania skargami klientów", (5, 11), ("ex3",)),
    _C("000", "Every link of the supply chain matters.",
       "Każde ogniwo w łańcuchu dostaw jest bardzo ważne", (5, 10)),
    _C("000", "Strategy 9: a loyal repeat buyer pays less than others, as in hotels, airlines "
       "and care homes.",
       "jest obciążany niższą ceną niż inni. Hotele, linie lotnicze, domy opieki itp.",
       (5,), ("ex3",)),
    _C("000", "Strategy 10: the company helps communities hit by natural disasters, among "
       "other social events.",
       "pomocy dla społeczności cierpiącej z powodu klęsk żywiołowych", (5,), ("ex3",)),
    _C("000", "Keeping customers costs far less than winning them.",
       "Koszt zatrzymania klientów jest znacznie niższy niż koszt związany z pozyskaniem "
       "klienta", (3, 5, 6, 8)),
    _C("000", "The measure of success is that customers keep buying.",
       "Twoi klienci będą nadal kupować od ciebie w przyszłości", (8,)),
    _C("000", "The customer flow: acquired customers become satisfied or dissatisfied; "
       "satisfaction leads to retention, dissatisfaction to defection.",
       "Tak pozyskani klienci osiągną stan satysfakcji lub niezadowolenia. Podczas gdy "
       "satysfakcja prowadzi do zatrzymania, niezadowolenie prowadzi do etapu uwagi",
       (3, 7), ("ex4",),
       "The text calls the defection stage «etapu uwagi» (the stage of attention) and then "
       "«fazie odstąpienia» (the withdrawal phase); the kit says defection."),
    _C("000", "Lost customers are the aim of win-back programmes.",
       "Klient w fazie odstąpienia może być wymagany za pomocą odpowiednich programów "
       "marketingowych mających na celu odzyskanie utraconych klientów", (3, 7), ("ex4",)),
    _C("000", "A retention programme follows a sequence of steps.",
       "Organizacja skupiająca uwagę na retencji może przyjąć następującą sekwencję działań",
       (8,), ("ex4",)),
    _C("000", "Discovery chooses the customers to keep by the value of their volume: "
       "regularity and profit margin.",
       "Wybór opiera się na wartości wolumenu klientów, ponieważ przynoszą one regularność "
       "celu, marżę zysku", (8,), ("ex4",)),
    _C("000", "Satisfaction arises when the customer's requirements are met.",
       "Satysfakcja pojawia się, gdy wymagania klienta są spełnione", (4,)),
    _C("000", "The satisfaction a customer seeks has four components.",
       "ostateczna satysfakcja, do jakiej dąży klient, ma następujące cztery elementy",
       (4,), ("ex2",)),
    _C("000", "Peripheral satisfaction serves the customer's wish for personal attention.",
       "Satysfakcja peryferyjna pomaga klientowi zwiększyć jego pragnienie osobistej uwagi",
       (4,)),
    _C("000", "Atmosphere mixes tangible factors (price, aesthetics, services) with "
       "intangible ones (cooperation, courtesy).",
       "połączenie czynników materialnych, takich jak konkurencyjne ceny, własność "
       "estetyczna i oferowane usługi oraz wartości niematerialne", (4,)),
    _C("000", "Psychological satisfaction: a reserved customer may dislike a long sales "
       "dialogue.",
       "Zastrzeżony klient może nie lubić długiego dialogu sprzedawcy", (4,), ("ex2",)),
    _C("000", "For a market leader, satisfaction leads to retention.",
       "Dla lidera jest wiadome, że zadowolenie prowadzi do utrzymania klienta", (5,)),
    _C("000", "A leader needs a mechanism that spots attrition signals early.",
       "mechanizm identyfikacji sygnałów ścierania", (5,),
       note="«ścierania» is literally abrasion; the kit says attrition."),
    # -- 001, Persian -------------------------------------------------------- #
    _C("001", "Reichheld studied how satisfaction, loyalty and profit relate.",
       "رابطه بین سه عامل – رضایت مشتری ، وفاداری مشتری و سود", (6, 11),
       note="The source names the three factors; the chain of three links in lesson 06 is "
       "the kit's reading."),
    _C("001", "He stated facts that had not been stated clearly before.",
       "اما تا آن زمان به وضوح بیان نشده بود", (11,)),
    _C("001", "His conclusion: customer loyalty seems to be the only way to superior, "
       "lasting profit.",
       "به نظر می رسد وفاداری مشتری تنها راه دستیابی به سودهای پایدار برتر است", (6, 11)),
    _C("001", "Tom Peters called great management ideas a blinding flash of the obvious, "
       "because they are so true, simple and clear.",
       "یک چشمک زدن کور از بدیهیات” توصیف کرد – زیرا آنها بسیار درست ، بسیار ساده و "
       "بسیار واضح هستند", (6,)),
    _C("001", "In life insurance, a 5% rise in retention cut the cost per policy by 18%.",
       "افزایش 5 درصدی در حفظ مشتری باعث کاهش 18 درصدی هزینه های هر سیاست می شود",
       (6, 11), ("ex3",),
       "The source gives only the two numbers (and calls the policy «سیاست»). Reading the "
       "cut as a one-off acquisition cost spread over a longer life is the kit's "
       "reconstruction (lesson 06)."),
    _C("001", "Poor service, poor quality and shortfalls in delivery drive some people away.",
       "خدمات نامناسب ، کیفیت نامناسب و کمبود تحویل از عواملی است که برخی افراد را ترغیب "
       "به رفتن می کند", (6,)),
    _C("001", "A satisfied customer does not walk away, but satisfaction does not hold them.",
       "با این کار مشتری ها دور نمی شوند – اما آنها را نگه نمی دارد", (6, 11), ("ex2",)),
    _C("001", "To keep a customer, the company must exceed expectations.",
       "برای نگه داشتن مشتری باید بیش از انتظارات باشیم", (6, 11)),
    _C("001", "The powerful experiences are feelings: a personal touch, being liked, special, "
       "trusted, dealt with honestly, directly and fairly.",
       "“لمس شخصی” ، “مانند” ، “ویژه” ، “اعتماد” ، “صادقانه” ، “مستقیم” ، “منصفانه”",
       (6,)),
    _C("001", "Making this a strategy takes a system of KPIs, competencies, attitudes and "
       "behaviours.",
       "یک سیستم پیچیده از KPI ها ، شایستگی ها ، نگرش ها و رفتارهای مرتبط", (6, 11)),
    _C("001", "The loyalty KPIs: defections, complaints, positive feedback, focus-group "
       "reports, feedback from care staff, complaint handling, cash collection.",
       "تعداد گریزها ، شکایات مشتری ، بازخورد مثبت مشتریان ، گزارش های گروه متمرکز ، "
       "بازخورد از نمایندگان مراقبت از مشتری ، رسیدگی به شکایات ، جمع آوری پول",
       (11,), ("ex3", "ex5")),
    _C("001", "Successful companies start from one premise: keeping customers is our "
       "business strategy.",
       "حفظ مشتری استراتژی تجارت ما است", (11,)),
    _C("001", "Staff need an environment that motivates and empowers them.",
       "در محیطی قرار بگیرند که انگیزه و توانمندی آنها را فراهم کند", (11,)),
    _C("001", "Customer-centric values and competencies go into every job description, from "
       "the managing director down.",
       "ما در توصیف شغل همه – از MD به پایین", (11,), ("ex3",)),
    _C("001", "The payoff lies not only in retention but in the motivation it drives.",
       "بازپرداخت نه تنها در افزایش احتباس ، بلکه در انبوه رانندگان بسیار انگیزشی نهفته "
       "است", (11,)),
    # -- 002, Persian -------------------------------------------------------- #
    _C("002", "A business exists to serve its customers.",
       "هدف از کسب و کار، خدمت به مشتریان است", (7,)),
    _C("002", "Customers are managed at acquisition, development and retention.",
       "کسب و کار نیاز به مدیریت مشتریان در زمان های مختلف مانند کسب، توسعه و حفظ دارد",
       (7,)),
    _C("002", "Customers can be new in two ways: new to the business or new to the product.",
       "مشتریان از دو جهت می توانند جدید باشند", (2, 7), ("ex1",)),
    _C("002", "A customer won from a competitor is especially valuable if they were loyal "
       "there.",
       "این مشتریان در صورتی که از مشتریان وفادار شرکت رقیب باشند و به کسب و کار مربوطه "
       "جذب شده باشند، بسیار ارزشمندند", (2, 7), ("ex1",),
       "The source does not say why; \"loyalty is a habit they bring\" is the kit's reading."),
    _C("002", "Parents buy nappies, then toys as the child grows.",
       "یک پدر و مادر بدون توجه به جنسیت کودک، برای او پوشک تهیه می کنند", (2,), ("ex1",)),
    _C("002", "A family whose means grow buys a bigger car.",
       "ترجیح می دهند ماشین بزرگ تری تهیه کنند", (2,), ("ex1",)),
    _C("002", "New customers help growth and future profit.",
       "مشتریان جدید به رشد کسب و کار و سودآوری آینده کمک می کنند", (7,)),
    _C("002", "Acquisition also aims at lapsed customers, who stopped buying.",
       "از خرید کالا و خدمات در یک کسب و کار منصرف شده اند", (2, 7), ("ex4",),
       "The source calls them «مشتریان هدایت شده» (literally guided customers); the kit's "
       "origin \"won back\" is its own category."),
    _C("002", "Awareness comes from contact by email, electronic media or print.",
       "برقراری ارتباط با مشتری از طریق ایمیل، رسانه های الکترونیکی و یا چاپ و ایجاد "
       "آگاهی از محصول", (7,),
       note="The source lists three ways; the kit splits this first one in two."),
    _C("002", "Advertising on television or the internet.",
       "تبلیغات در تلویزیون یا اینترنت", (7,)),
    _C("002", "Free product samples.",
       "ارائه نمونه محصول بصورت رایگان", (7,)),
    _C("002", "Win-back offers: better prices, free repair and maintenance, extra benefits.",
       "ارائه قیمت های بهتر، خدمات تعمیر و نگهداری رایگان و یا ارائه برخی از مزایای "
       "اضافی", (7,), ("ex4",)),
    _C("002", "Four CRM tools help win new customers: lead management, campaign management, "
       "marketing, CRM analytics.",
       "ابزارهای زیر برای به دست آوردن مشتریان جدید استفاده می شود", (7,), ("ex4",),
       "The source calls lead management «مدیریت رهبری» (literally leadership management)."),
    _C("002", "Customer development uses feedback at every stage of product development.",
       "توسعه مشتری یک فرآیند مهم در هرمرحله از توسعه محصول است", (7,)),
    _C("002", "Customer development has four stages, from customer discovery to company "
       "building.",
       "چهار مرحله اصلی توسعه مشتری در ادامه عنوان شده است", (0, 7)),
    _C("002", "Current customers make a business profitable, so keeping them is vital.",
       "همانطور که مشتریان فعلی باعث سودآوری کسب و کار می شوند، حفظ آنها برای هر کسب و "
       "کاری حیاتی است", (8,)),
    _C("002", "Negative strategies (penalties, switching costs, high exit costs) trap "
       "customers.",
       "مقررات جریمه، هزینه های تعویض و هزینه های ترک بالا باعث می شود که مشتریان در این "
       "نوع کسب و کار به دام افتاده باشند", (8,), ("ex4",)),
    _C("002", "Negative strategies spread a bad reputation among customers.",
       "شهرت را از دیدگاه منفی در بین مشتریان خود رواج می دهد", (8, 9), ("ex4",)),
    _C("002", "Positive strategies: more value without a higher price, loyalty schemes, "
       "promotions.",
       "افزایش ارزش محصول، بدون افزایش قیمت محصولات یا خدمات", (8,), ("ex4",)),
    _C("002", "Keeping committed customers costs less than keeping uncommitted ones.",
       "هزینه نگه داشتن مشتریان متعهد کمتر از حفظ مشتریان غیر متعهد است", (8,)),
    _C("002", "Keep those who are satisfied with the product or service.",
       "کسانی که از محصول یا خدمات راضی هستند", (8,), ("ex4",)),
    _C("002", "Keep those who can suggest innovations in the product.",
       "کسانی که می توانند نوآوری را در محصولی پیشنهاد دهند", (8,), ("ex4",)),
    _C("002", "CRM systems hold several tools for retention.",
       "ابزارهای متعدد برای حفظ مشتری در سیستم های CRM وجود دارد", (8,), ("ex4",)),
    _C("002", "Campaign-management software tracks sales and cross-selling campaigns and "
       "judges them by profit.",
       "کمپین های فروش و فروش متقابل را ردیابی می کند و اثربخشی آنها از نظر مقدار سود "
       "بررسی می کند", (8,)),
    _C("002", "Event-based marketing sends an offer when something significant happens.",
       "هنگامی که رویداد مهمی رخ می دهد به مشتریان پیشنهاد ارسال می کند", (8, 12), ("ex4",)),
    _C("002", "Channel integration avoids two different offers for the same product and "
       "customer.",
       "از ایجاد و ارسال یک پیشنهاد متفاوت سفارشی برای محصول مشابه و مشتری جلوگیری کنید",
       (8, 10), ("ex5",)),
    _C("002", "Not every customer relationship is worth carrying forward.",
       "همه روابط مشتری ارزش هدایت رو به جلو را ندارد", (9,)),
    _C("002", "End relationships with serial complainers.",
       "شکایات سریالی از محصول یا خدمات", (9,), ("ex4",)),
    _C("002", "End relationships with those who keep looking for better deals.",
       "کسانی که به طور مداوم به دنبال معاملات بهتر هستند", (9,), ("ex4",)),
    _C("002", "A price rise works as a filter that separates out the profitable customers.",
       "این کار به عنوان یک فیلتر برای جداسازی مشتریان سودآور کار می کند", (9,), ("ex4",)),
    _C("002", "A redesign changes the product's design or look so that it becomes more "
       "attractive to customers.",
       "به طوری که برای مشتریان، محصول جذاب تری شود", (9,), ("ex4",),
       "The source does not say how a redesign ends a relationship; the what-if of lesson "
       "09 (30% of the segment leaves, serving the rest costs 25% less) is the kit's "
       "assumption."),
    _C("002", "Unbundling filters out uninterested customers.",
       "مشتریان غیرعلاقمند با این استراتژی فیلتر می شوند", (9,), ("ex4",)),
    # -- 003, Russian -------------------------------------------------------- #
    _C("003", "A customer relationship is every exchange between a company and its "
       "customers, on every sales channel and with every contact person.",
       "обо всех обменах между компанией и ее клиентами. Биржи, которые касаются всех "
       "каналов продаж и контактных лиц", (1, 10), ("ex1",)),
    _C("003", "Relationship marketing is a strategy aimed at lasting relationships.",
       "Маркетинг взаимоотношений представляет собой стратегию и маркетинговые действия, "
       "направленные на развитие прочных отношений с клиентами", (1, 10)),
    _C("003", "CRM adds technology and data.",
       "привносит технологический аспект и данные", (1, 10)),
    _C("003", "Beyond acquisition, the weight is on loyalty, a challenge in three parts.",
       "особое внимание уделяется формированию лояльности. Задача состоит из трех частей",
       (1,)),
    _C("003", "The third part of the challenge: the customer base must not erode to "
       "competitors.",
       "Избегайте постепенного роста вашего портфолио на фоне конкурентов", (1,),
       note="The text says «роста» (growth), a slip of translation; the kit reads it as "
       "erosion, as the sentence requires."),
    _C("003", "Social networks multiply these stakes tenfold.",
       "эти проблемы увеличиваются в десять раз", (1, 9)),
    _C("003", "Loyalty cards and e-mails are operational tools; above them stand three "
       "levers.",
       "По мере набора высоты выделяются 3 рычага", (1, 10), ("ex1",)),
    _C("003", "Lever 1: customer satisfaction is the first brick of loyalty.",
       "Первым кирпичиком построения лояльности является удовлетворенность клиентов",
       (1, 10)),
    _C("003", "Lever 2: the customer should feel special, at the centre of the supplier's "
       "attention.",
       "чувствовать себя особенным, что он находится в центре внимания поставщика", (1, 10)),
    _C("003", "Lever 3: engaged customers recommend the brand to people they know or on "
       "social networks.",
       "рекомендуют знакомым или в соцсетях", (1, 10)),
    _C("003", "The most active become brand ambassadors.",
       "Самые активные становятся настоящими послами вашего бренда", (1, 10), ("ex1",)),
    _C("003", "Their suggestions for improvement can lead to new products and services.",
       "их предложения по улучшениям могут породить особенно интересные идеи продуктов и "
       "услуг", (10,)),
    _C("003", "Engagement passes through deep satisfaction and an excellent experience.",
       "Обязательства проходят через глубокое удовлетворение и отличный опыт", (10,),
       note="«Обязательства» (literally obligations) is the text's word for engagement here."),
    _C("003", "Effort and investment are wasted if the whole company is not aligned.",
       "Усилия и инвестиции могут быть потрачены впустую, если вся компания не настроена",
       (10,)),
    _C("003", "The messages of every channel must stay consistent.",
       "Мы должны обеспечить определенную последовательность в сообщениях, передаваемых "
       "всеми рычагами действия", (10,), ("ex5",)),
    _C("003", "The information system keeps the CRM data consistent.",
       "Информационная система играет центральную роль и обеспечивает согласованность "
       "данных", (10,)),
    _C("003", "The front office: phone reception, sales and marketing.",
       "«фронт-офисные» каналы: телефонную приемную, отделы продаж и маркетинга", (10,)),
    _C("003", "Customers also meet the back office: after-sales, accounting, the shop and so "
       "on.",
       "(обычно «бэк-офис»), такие как послепродажное обслуживание, бухгалтерский учет, "
       "магазин", (1, 10), ("ex5",),
       "The kit's data splits the offices its own way: the shop floor is front office and "
       "delivery is back office."),
    _C("003", "Quality is judged on every contact customers actually use.",
       "Качество ваших услуг оценивается не просто по отношению к каналам, предназначенным "
       "для работы с клиентами, но по всем контактам, которые ваши клиенты фактически "
       "активируют", (1, 10), ("ex5",)),
    _C("003", "A CRM project is wasted if the customer is badly received by the accountant.",
       "все эти усилия будут напрасными, если ваш клиент будет «принят» вашим бухгалтером",
       (10,)),
    _C("003", "Mastery means resources in proportion to the importance of the event or risk.",
       "в зависимости от важности событий или рисков, выделение соответствующих ресурсов",
       (10,)),
    _C("003", "Mastery is not fire-fighting: it is knowing what you do and why.",
       "Мастерство не означает быть пожарным", (10,)),
    _C("003", "The satisfaction survey is a particularly suitable tool to check the "
       "touchpoints.",
       "Опрос удовлетворенности является особенно подходящим инструментом для решения этой "
       "задачи", (4, 10), ("ex2",)),
    _C("003", "Even with a battery of internal indicators, measure the customer's perception.",
       "Даже если у компании есть батарея внутренних индикаторов", (4, 10), ("ex2",)),
    _C("003", "In the end it is the customer who judges.",
       "именно он вас судит", (4, 10)),
    _C("003", "The customer's perception can differ from what the company thinks.",
       "И его восприятие может отличаться от того, как компания думает о нем", (4, 10)),
    _C("003", "A relationship is the sum of small encounters.",
       "Это сумма небольших встреч между вашими клиентами и вашей компанией", (1, 10),
       ("ex1",)),
    # -- 004, Finnish -------------------------------------------------------- #
    _C("004", "The relationship is a continuing connection between a company and its "
       "customers.",
       "Se on jatkuvan yhteyden kehittäminen yrityksen ja sen asiakkaiden välillä", (1, 12)),
    _C("004", "It covers marketing communication, sales support, technical help and "
       "customer service.",
       "Tämä suhde kattaa markkinointiviestinnän, myyntituen, teknisen avun ja "
       "asiakaspalvelun", (1, 12)),
    _C("004", "It is measured by customer satisfaction through the buying cycle.",
       "Suhde mitataan asiakastyytyväisyyden asteella ostoskyklin kautta", (1, 12)),
    _C("004", "It is tempting to focus on new sales or the biggest customers.",
       "on houkuttelevaa keskittyä uusien myyntiin tai suurempien asiakkaiden jatkamiseen",
       (12,)),
    _C("004", "Attention to current customers, however small, is needed to grow.",
       "Huomio nykyisiin asiakkaisiin riippumatta siitä, kuinka pieni, on välttämätöntä "
       "yrityksen etenemiseksi ja kasvamiseksi", (12,)),
    _C("004", "There are seven types of customer relationship.",
       "Asiakassuhteen tyypit", (2,), ("ex1",)),
    _C("004", "Transactional: the airport kiosk has no real relationship with its customers.",
       "Esimerkiksi lentokentän kioski ei yleensä luo suhdetta asiakkaisiinsa", (2,),
       ("ex1",)),
    _C("004", "Long-term: the company deals with the customer again and again.",
       "Yhtiö on vuorovaikutuksessa asiakkaan kanssa toistuvasti", (2,), ("ex1",),
       "The source says only that a long-term relationship means repeated contact. That "
       "each type buys at its own rate is the kit's generator assumption."),
    _C("004", "Dedicated personal assistance is the narrowest type and usually develops over "
       "a long time.",
       "Se muodostaa kapeimman suhteen tyypin ja kehittyy yleensä pitkään aikaan", (2,),
       ("ex1",)),
    _C("004", "Private banks have bankers dedicated to wealthy clients.",
       "yksityisissä pankkipalveluissa on pankkiirit", (2,), ("ex1",)),
    _C("004", "Self-service: customers are given the means to help themselves.",
       "Pikemminkin asiakkaille tarjotaan kaikki tarvittavat keinot auttaa itseään", (2, 9)),
    _C("004", "A relationship goes through stages.",
       "Seuraavaksi ovat vaiheet, joista asiakassuhteet voivat kehittyä", (3,), ("ex2",)),
    _C("004", "Exploration: if the test does not meet the customer's needs, the relationship "
       "can end.",
       "Jos testitulokset eivät vastaa asiakkaiden tarpeita, suhde voi päästä loppuun", (3,)),
    _C("004", "Commitment: the suppliers learn to adapt to the rules of the business.",
       "Sitoutuminen on tehokas vaihe, kun toimittajat oppivat sopeutumaan liiketoiminnan "
       "sääntöihin", (3,), ("ex2",),
       "The source speaks of the suppliers adapting, not of the customer."),
    _C("004", "Dissolution: the customer is dissatisfied or prefers better brands.",
       "asiakas ei ole tyytyväinen toimittajan palveluihin tai suosii muita parempia "
       "tuotemerkkejä ja tuotteita", (3, 9), ("ex2",)),
    _C("004", "The supplier may end a relationship when the customer adds too little to "
       "sales.",
       "Toimittajat voivat myös mieluummin rikkoa suhteita, koska asiakas ei osallistu "
       "myynnin määrän kasvuun", (3, 9), ("ex2",)),
    _C("004", "The supplier may end a relationship when suppliers are caught up in fraud.",
       "kun toimittajat ovat takertuneet petoksiin", (3, 9), ("ex2",),
       "The source does not say who commits the fraud; the kit's generator makes the "
       "customer the fraudster."),
    _C("004", "Follow-up starts right after the sale, with a call to thank the customer.",
       "Seuranta alkaa heti myynnin jälkeen, kun asiakasta kutsutaan kiittämään sinua",
       (12,), ("ex5",)),
    _C("004", "After meeting an old customer at an event, send a note.",
       "Jos törmäät vanhaan asiakkaaseen tapahtumassa, seuraa sinua huomautuksella", (12,)),
    _C("004", "Send birthday and anniversary cards.",
       "Lähetä asiakkaille jo vakiintuneita syntymäpäiväkortteja, vuosipäivän kortteja",
       (12,), ("ex5",)),
    _C("004", "Gifts linked to the business or to the customer's last purchase.",
       "linkitettyjä yritykseen, asiakasliiketoimintaan tai sen viimeisimpaan ostokseen",
       (12,)),
    _C("004", "The administrative actions of customer relationship management.",
       "Hallinnolliset toimet suhteissa asiakkaaseen", (12,), ("ex5",)),
    _C("004", "Listen closely and show empathy.",
       "kuuntelet tarkkaan ja näytä empatiaa", (12,)),
    _C("004", "Act as a link between customer service and other departments, sales above all.",
       "Toimia linkkinä asiakaspalvelun ja muiden osastojen, erityisesti myynnin välillä",
       (12,), ("ex5",)),
    _C("004", "Pass on the sales opportunities heard from key customers.",
       "Hävitä myyntitiimiltä tulevia myyntimahdollisuuksia keskeisissä asiakkaissa",
       (12,), ("ex5",),
       "The text says «Hävitä» (lose, get rid of), a slip of translation; the kit reads it "
       "as passing sales leads on to the sales team."),
    _C("004", "Keep the CRM database up to date, so that those who manage the accounts know "
       "of changes on the customer's side.",
       "CRM -tietokanta on päivitettävä ja varmistettava, että tilinpitäjät ovat tietoisia "
       "asiakkaiden muutoksista", (12,),
       note="«tilinpitäjät» is literally accountants; the kit reads account managers."),
)
"""Every statement the lessons and exercises make about a source, with its words."""


def by_number(number: str) -> Source:
    """Return the `Source` numbered ``number`` (``"000"`` to ``"004"``).

    Examples
    --------
    >>> by_number("003").title_en
    'Optimising customer relationships: concepts and methods'
    """
    for source in SOURCES:
        if source.number == number:
            return source
    known = ", ".join(repr(s.number) for s in SOURCES)
    raise ValueError(f"by_number: no source {number!r}; the sources are {known}.")


def claims_for(*, source: str | None = None, lesson: int | None = None,
               exercise: str | None = None) -> tuple[Claim, ...]:
    """Return the claims of one source, one lesson or one exercise notebook (or all).

    Examples
    --------
    >>> len(claims_for(source="004", lesson=3)) >= 5
    True
    """
    return tuple(
        c for c in CLAIMS
        if (source is None or c.source == source)
        and (lesson is None or lesson in c.lessons)
        and (exercise is None or exercise in c.exercises)
    )


def _lessons_text(numbers) -> str:
    return ", ".join(f"{n:02d}" for n in sorted(set(numbers)))


def sources_frame() -> pd.DataFrame:
    """The five sources as a table with readable headers, one row per source.

    Returns
    -------
    pandas.DataFrame
        Columns "source", "language", "title in the text", "title in English",
        "what the kit takes from it", "lessons" and "statements checked"
        (how many claims are recorded and checked against the text).

    Examples
    --------
    >>> sources_frame()["language"].tolist()
    ['Polish', 'Persian', 'Persian', 'Russian', 'Finnish']
    """
    import pandas as pd

    rows = []
    for s in SOURCES:
        claims = claims_for(source=s.number)
        rows.append({
            "source": s.number,
            "language": s.language,
            "title in the text": s.title,
            "title in English": s.title_en,
            "what the kit takes from it": s.takes,
            "lessons": _lessons_text(n for c in claims for n in c.lessons),
            "statements checked": len(claims),
        })
    return pd.DataFrame(rows)


def claims_frame(*, source: str | None = None, lesson: int | None = None) -> pd.DataFrame:
    """The claims as a table with readable headers, one row per claim.

    Returns
    -------
    pandas.DataFrame
        Columns "source", "the kit says", "the source's words", "lessons",
        "exercises" and "note" (where the kit goes further than the source).

    Examples
    --------
    >>> claims_frame(source="002", lesson=9)["source"].unique().tolist()
    ['002']
    """
    import pandas as pd

    return pd.DataFrame(
        [{
            "source": c.source,
            "the kit says": c.says,
            "the source's words": c.phrase,
            "lessons": _lessons_text(c.lessons),
            "exercises": ", ".join(c.exercises),
            "note": c.note,
        } for c in claims_for(source=source, lesson=lesson)],
        columns=["source", "the kit says", "the source's words", "lessons", "exercises",
                 "note"],
    )
