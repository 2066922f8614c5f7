"""Article pages of DW's editions beyond en/de, in both designs, with what extraction must yield.

Written by the project, modelled on the real markup in ../shared/dw-pages/: the 2026 current
design (`DW_2026_06_14.html`: a byline with the location in `span.extra-info`, the author's role
in the footer, inline figures with credits, "Advertisement" blocks, the closing "Edited by:"
line, `window.__APP_STATE__`) and the legacy design (`dw.com.colonial.html`,
`DW_2023_04_28.html`: `div.col3`, `p.intro`, `div.longText`, the `ul.smallList` facts).

Each edition's page carries the frame extraction must take out of the text: a byline with extra
information, a closing editor credit in the edition's wording (where the project knows it: fa-ir
and am have none, see the editors labels of newsbot.editions), the closing initials-and-agencies line in
a form of its own, an app promo, a "read also" link where the edition's wording is known, and a
captioned image with its credit. The article sentences and the promo link texts are the
project's own test text; the labels are those of the rule tables.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from urllib.parse import quote

from newsbot.permalink import base62_encode

APP_STORE_URL = "https://play.google.com/store/apps/details?id=com.dw.android"


@dataclass(frozen=True)
class EditionArticle:
    """One article of one edition; `current_page`/`legacy_page` render it in either design."""

    lang: str
    content_id: int
    slug: str
    title: str
    teaser: str
    authors: tuple[str, ...]  # the names, as `authors` must hold them
    byline_extra: str  # the location beside the name (2026) / in parentheses (legacy)
    paragraphs: tuple[str, ...]
    subheading: str
    editor_line: str | None  # the closing credit as printed
    editors: tuple[str, ...]
    agency_line: str
    agencies: tuple[str, ...]  # as `agencies` must hold them
    app_promo: str  # the text of a paragraph that only links to the DW app
    image_credit: str  # "<label>: <photographer/agency>"
    caption: str
    read_more: str | None = None  # a "read also" line in the edition's wording
    text_promo: str | None = None  # a promo line the rule tables know for this edition
    author_label: str | None = None  # the legacy info list's author label
    authors_joined: str = ""  # how a legacy byline joins several names ("und", "і", ...)
    author_line: str | None = None  # legacy: the author credited by a last line of the text

    @property
    def path(self) -> str:
        """The URL path, percent-encoded as DW's canonical links are."""
        return quote(f"/{self.lang}/{self.slug}/a-{self.content_id}")

    @property
    def canonical(self) -> str:
        return "https://www.dw.com" + self.path

    @property
    def legacy_authors(self) -> tuple[str, ...]:
        """What the legacy page names: nothing where the edition's author label is unknown."""
        return self.authors if self.author_label or self.author_line else ()

    @property
    def noise(self) -> list[str]:
        """Text on the page that must never reach `body`."""
        found = [self.agency_line, self.app_promo, self.image_credit, self.caption,
                 "Advertisement", "Correspondent"]
        found += [line for line in (self.editor_line, self.read_more, self.text_promo,
                                    self.author_line) if line]
        return found


EDITIONS: tuple[EditionArticle, ...] = (
    EditionArticle(
        lang="ar", content_id=70100001, slug="ألمانيا-تعيد-فتح-المعابر",
        title="ألمانيا تعيد فتح مكاتب الهجرة في المدن الحدودية",
        teaser="بعد أشهر من الإغلاق تعود مكاتب الهجرة إلى العمل في ثلاث مدن حدودية.",
        authors=("كريم شمس",), byline_extra="برلين",
        paragraphs=(
            "أعلنت وزارة الداخلية الألمانية إعادة فتح مكاتب الهجرة في ثلاث مدن حدودية اعتبارا من الأسبوع المقبل.",
            "وقال متحدث باسم الوزارة إن المكاتب ستعمل بطاقم إضافي لتقليص فترات الانتظار.",
        ),
        subheading="انتظار طويل",
        editor_line="تحرير: هبة الحسيني", editors=("هبة الحسيني",),
        agency_line="ع.ش/ ه.ح (أ ف ب، رويترز)", agencies=("AFP", "Reuters"),
        app_promo="حمّلوا تطبيق DW", image_credit="الصورة: Jens Büttner/dpa",
        caption="مكتب الهجرة في مدينة فرانكفورت على الأودر",
        read_more="اقرأ أيضا: ألمانيا تبحث عن عمال مهرة", author_label="الكاتب",
    ),
    EditionArticle(
        lang="fa-ir", content_id=70100002, slug="برلین-قطار",
        title="آلمان خطوط قطار شبانه را گسترش می‌دهد",
        teaser="راه‌آهن آلمان از ماه آینده سه خط قطار شبانه تازه راه‌اندازی می‌کند.",
        authors=("مریم رضایی",), byline_extra="بن",
        paragraphs=(
            "راه‌آهن آلمان اعلام کرد که از ماه آینده سه خط قطار شبانه تازه میان برلین، وین و پاریس راه‌اندازی می‌شود.",
            "به گفته این شرکت، تقاضا برای سفرهای شبانه در دو سال گذشته دو برابر شده است.",
        ),
        subheading="تقاضای رو به رشد",
        editor_line=None, editors=(),  # the edition's editor credit wording is not known
        agency_line="م.ر/ ک.ب (رویترز، خبرگزاری فرانسه)", agencies=("Reuters", "AFP"),
        app_promo="اپلیکیشن دویچه وله را نصب کنید", image_credit="عکس: Christoph Soeder/dpa",
        caption="قطار شبانه در ایستگاه مرکزی برلین",
        read_more="بیشتر بخوانید: سفر با قطار در اروپا", author_label="نویسنده",
    ),
    EditionArticle(
        lang="zh", content_id=70100003, slug="德国-电动车",
        title="德国电动车销量创新高",
        teaser="今年上半年，德国电动车新车注册量比去年同期增长三成。",
        authors=("张伟",), byline_extra="柏林",
        paragraphs=(
            "德国联邦机动车管理局周三公布的数据显示，今年上半年电动车新车注册量比去年同期增长三成。",
            "业内人士认为，新的购车补贴和更多的充电桩是销量增长的主要原因。",
        ),
        subheading="充电桩数量翻倍",
        editor_line="责编：李明", editors=("李明",),
        agency_line="(路透社、法新社)", agencies=("Reuters", "AFP"),
        app_promo="下载DW应用程序", image_credit="图像来源: Sebastian Gollnow/dpa",
        caption="柏林街头的充电桩",
        read_more="延伸阅读：德国汽车业的转型",
        text_promo="DW中文有Instagram！欢迎搜寻dw.chinese，看更多深入浅出的图文与影音报导。",
        author_label="作者", author_line="作者：张伟",
    ),
    EditionArticle(
        lang="zh-hant", content_id=70100004, slug="德國-鐵路",
        title="德國鐵路準點率持續下滑",
        teaser="德國鐵路公司公布的數據顯示，長途列車的準點率跌至十年來最低。",
        authors=("陳怡君",), byline_extra="波昂",
        paragraphs=(
            "德國鐵路公司週二公布的數據顯示，上半年長途列車的準點率跌至十年來最低。",
            "公司表示，老舊的鐵路網和大量施工是誤點的主要原因。",
        ),
        subheading="施工影響行程",
        editor_line="責編：林志明", editors=("林志明",),
        agency_line="(美聯社、德新社)", agencies=("AP", "dpa"),
        app_promo="下載DW應用程式", image_credit="圖片來源: Arne Dedert/dpa",
        caption="法蘭克福火車站的月台",
        read_more="延伸閱讀：歐洲的夜車復興", author_label="作者",
    ),
    EditionArticle(
        lang="ru", content_id=70100005, slug="germaniya-migraciya",
        title="Германия упрощает получение гражданства",
        teaser="Новый закон сокращает срок ожидания гражданства до пяти лет.",
        authors=("Ирина Петрова", "Олег Кузнецов"), byline_extra="Берлин",
        paragraphs=(
            "Бундестаг принял закон, который сокращает срок ожидания гражданства с восьми до пяти лет.",
            "По словам министра внутренних дел, Германия хочет привлечь больше квалифицированных специалистов.",
        ),
        subheading="Двойное гражданство",
        editor_line="Редактор: Андрей Смирнов", editors=("Андрей Смирнов",),
        agency_line="ИП/ОК (Reuters, AFP, dpa)", agencies=("Reuters", "AFP", "dpa"),
        app_promo="Скачайте приложение DW", image_credit="Фото: Kay Nietfeld/dpa/picture alliance",
        caption="Заседание бундестага в Берлине",
        read_more="Читайте также: Как получить вид на жительство в Германии",
        author_label="Авторы", authors_joined=" и ",
    ),
    EditionArticle(
        lang="uk", content_id=70100006, slug="nimechchyna-ukrayinski-bizhentsi",
        title="Німеччина продовжує захист для біженців з України",
        teaser="Тимчасовий захист для українців у ЄС продовжено ще на рік.",
        authors=("Олена Коваль", "Тарас Мельник"), byline_extra="Київ",
        paragraphs=(
            "Міністри внутрішніх справ ЄС погодилися продовжити тимчасовий захист для біженців з України ще на рік.",
            "У Німеччині цим статусом користуються понад мільйон людей.",
        ),
        subheading="Робота та навчання",
        editor_line="Редактор: Наталія Іваненко", editors=("Наталія Іваненко",),
        agency_line="ОК (Укрінформ, Reuters)", agencies=("Ukrinform", "Reuters"),
        app_promo="Завантажуйте застосунок DW", image_credit="Фото: Michael Kappeler/dpa",
        caption="Українські біженці на вокзалі в Берліні",
        read_more="Читайте також: Як знайти житло в Німеччині",
        author_label="Автор", authors_joined=" і ",
    ),
    EditionArticle(
        lang="hi", content_id=70100007, slug="जर्मनी-भारतीय-छात्र",
        title="जर्मनी में भारतीय छात्रों की संख्या बढ़ी",
        teaser="जर्मनी के विश्वविद्यालयों में पढ़ने वाले भारतीय छात्रों की संख्या पहली बार पचास हजार के पार पहुंची.",
        authors=("राहुल शर्मा",), byline_extra="बॉन",
        paragraphs=(
            "जर्मन अकादमिक विनिमय सेवा के ताजा आंकड़ों के मुताबिक जर्मनी में भारतीय छात्रों की संख्या पहली बार पचास हजार के पार पहुंच गई है.",
            "ज्यादातर छात्र इंजीनियरिंग और कंप्यूटर साइंस की पढ़ाई कर रहे हैं.",
        ),
        subheading="मुफ्त पढ़ाई का आकर्षण",
        editor_line="संपादनः प्रिया वर्मा", editors=("प्रिया वर्मा",),
        agency_line="आरएस/पीवी (डीपीए, एएफपी)", agencies=("dpa", "AFP"),
        app_promo="डीडब्ल्यू ऐप डाउनलोड करें", image_credit="तस्वीर: Bernd Weißbrod/dpa",
        caption="म्यूनिख के तकनीकी विश्वविद्यालय में छात्र",
        read_more="यह भी पढ़ें: जर्मनी में नौकरी कैसे पाएं", author_label="रिपोर्ट",
    ),
    EditionArticle(
        lang="es", content_id=70100008, slug="alemania-energia-solar",
        title="Alemania bate su récord de energía solar",
        teaser="La energía solar cubrió por primera vez más de la mitad de la demanda eléctrica en un día laborable.",
        authors=("Lucía Fernández", "Carlos Méndez"), byline_extra="Bonn",
        paragraphs=(
            "La energía solar cubrió el martes por primera vez más de la mitad de la demanda eléctrica de Alemania en un día laborable.",
            "Los operadores de la red advirtieron, sin embargo, de que faltan líneas para llevar la electricidad al sur.",
        ),
        subheading="Faltan redes",
        editor_line="Edición: Pablo Ruiz", editors=("Pablo Ruiz",),
        agency_line="lgc (efe, afp, reuters)", agencies=("EFE", "AFP", "Reuters"),
        app_promo="Descargue la aplicación de DW", image_credit="Imagen: Jan Woitas/dpa",
        caption="Un parque solar en Sajonia",
        read_more="Lea también: El precio de la luz en Alemania",
        author_label="Autores", authors_joined=" y ",
    ),
    EditionArticle(
        lang="fr", content_id=70100009, slug="allemagne-greve-des-trains",
        title="L'Allemagne paralysée par une grève des trains",
        teaser="Le syndicat des conducteurs a appelé à une grève de trois jours dans tout le pays.",
        authors=("Marie Dupont", "Paul Martin"), byline_extra="Berlin",
        paragraphs=(
            "Le syndicat des conducteurs de train a appelé à une grève de trois jours à partir de mercredi.",
            "La compagnie ferroviaire estime que seul un train longue distance sur cinq circulera.",
        ),
        subheading="Des négociations au point mort",
        editor_line="Édition : Claire Lefèvre", editors=("Claire Lefèvre",),
        agency_line="md/cl afp/rtr", agencies=("AFP", "Reuters"),
        app_promo="Téléchargez l'application DW", image_credit="Photo : Sven Hoppe/dpa",
        caption="Un quai vide à la gare centrale de Munich",
        read_more="Lire aussi : Les trains de nuit reviennent en Europe",
        author_label="Auteurs", authors_joined=" et ",
    ),
    EditionArticle(
        lang="pl", content_id=70100010, slug="niemcy-granica-kontrole",
        title="Niemcy przedłużają kontrole na granicy z Polską",
        teaser="Kontrole na granicy polsko-niemieckiej potrwają co najmniej do końca roku.",
        authors=("Anna Kowalska",), byline_extra="Frankfurt nad Odrą",
        paragraphs=(
            "Niemieckie MSW poinformowało, że kontrole na granicy z Polską potrwają co najmniej do końca roku.",
            "Przedsiębiorcy z regionu przygranicznego skarżą się na coraz dłuższe korki.",
        ),
        subheading="Korki na autostradzie",
        editor_line="Redakcja: Piotr Nowak", editors=("Piotr Nowak",),
        agency_line="dpa/PAP", agencies=("dpa", "PAP"),
        app_promo="Pobierz aplikację DW", image_credit="Zdjęcie: Patrick Pleul/dpa",
        caption="Kontrola na przejściu granicznym w Świecku",
        read_more="Czytaj też: Polacy w Niemczech", author_label="Autorka",
    ),
    EditionArticle(
        lang="sw", content_id=70100011, slug="ujerumani-wahamiaji-kazi",
        title="Ujerumani yafungua milango kwa wafanyakazi wa Afrika",
        teaser="Sheria mpya ya uhamiaji inarahisisha wafanyakazi wenye ujuzi kuja Ujerumani.",
        authors=("Amina Hassan",), byline_extra="Bonn",
        paragraphs=(
            "Sheria mpya ya uhamiaji ya Ujerumani imeanza kutumika mwezi huu na inalenga kuvutia wafanyakazi wenye ujuzi.",
            "Wizara ya kazi inasema nafasi za kazi zaidi ya laki saba bado hazijajazwa.",
        ),
        subheading="Mfumo wa alama",
        editor_line="Mhariri: Juma Mwangi", editors=("Juma Mwangi",),
        agency_line="ah/jm (AFP, Reuters)", agencies=("AFP", "Reuters"),
        app_promo="Pakua programu ya DW", image_credit="Picha: Bernd von Jutrczenka/dpa",
        caption="Wafanyakazi katika kiwanda cha magari",
        read_more="Soma pia: Wanafunzi wa Afrika nchini Ujerumani", author_label="Mwandishi",
    ),
    EditionArticle(
        lang="ha", content_id=70100012, slug="jamus-manoma-najeriya",
        title="Jamus za ta tallafa wa manoman Najeriya",
        teaser="Gwamnatin Jamus ta sanar da sabon shirin tallafa wa kananan manoma.",
        authors=("Abdullahi Musa",), byline_extra="Abuja",
        paragraphs=(
            "Gwamnatin Jamus ta sanar da sabon shirin tallafa wa kananan manoma a arewacin Najeriya.",
            "Shirin zai samar da iri da takin zamani ga manoma dubu hamsin.",
        ),
        subheading="Iri da takin zamani",
        editor_line="Edita: Zainab Bello", editors=("Zainab Bello",),
        agency_line="AM (AFP, AP)", agencies=("AFP", "AP"),
        app_promo="Sauke manhajar DW", image_credit="Hoto: Florian Gaertner/photothek",
        caption="Manoma a jihar Kano",
    ),
    EditionArticle(
        lang="am", content_id=70100013, slug="ጀርመን-ኢትዮጵያ-ትብብር",
        title="ጀርመን ለኢትዮጵያ አዲስ የልማት ድጋፍ አስታወቀች",
        teaser="የጀርመን መንግሥት ለኢትዮጵያ የግብርና ልማት አዲስ ድጋፍ አስታወቀ።",
        authors=("ሰላም ተስፋዬ",), byline_extra="አዲስ አበባ",
        paragraphs=(
            "የጀርመን የልማት ሚኒስቴር ለኢትዮጵያ የግብርና ልማት አዲስ ድጋፍ ማድረጉን አስታውቋል።",
            "ድጋፉ በተለይ አነስተኛ አርሶ አደሮችን ለመርዳት ያለመ ነው።",
        ),
        subheading="አነስተኛ አርሶ አደሮች",
        editor_line=None, editors=(),  # Amharic pages credit their editors unlabelled
        agency_line="(Reuters, AFP)", agencies=("Reuters", "AFP"),
        app_promo="የDW መተግበሪያን ያውርዱ", image_credit="ምስል፦ Michael Tewelde/AFP",
        caption="አርሶ አደሮች በኦሮሚያ ክልል",
    ),
)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _figure(article: EditionArticle) -> str:
    """An inline figure as the 2026 body has it: caption with a `small.copyright` credit."""
    return (
        '<figure class="placeholder-image master_landscape big"><img data-id="1" alt="">'
        f'<figcaption class="img-caption">{_e(article.caption)}<small class="copyright">'
        f"{_e(article.image_credit)}</small></figcaption></figure>"
    )


def _closing_lines(article: EditionArticle) -> list[str]:
    lines = [f"<p><em>{_e(article.editor_line)}</em></p>"] if article.editor_line else []
    return [*lines, f"<p>{_e(article.agency_line)}</p>"]


def _body_lines(article: EditionArticle, figure: str) -> list[str]:
    """The text with its noise: figure, read-more line, app promo, promos of the tables."""
    first, second = article.paragraphs
    lines = [f"<p>{_e(first)}</p>", figure]
    if article.read_more:
        lines.append(f'<p>{_e(article.read_more)}</p>')
    lines += [f"<h2>{_e(article.subheading)}</h2>", f"<p>{_e(second)}</p>"]
    lines.append(f'<p><a href="{APP_STORE_URL}">{_e(article.app_promo)}</a></p>')
    if article.text_promo:
        lines.append(f"<p>{_e(article.text_promo)}</p>")
    return lines


def current_page(article: EditionArticle) -> str:
    """The article in the 2026 current design, with JSON-LD (without authors, so that the
    byline is what names them) and the `__APP_STATE__` page state."""
    ld = {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": article.title,
        "datePublished": "2026-06-14T19:00:01.536Z", "dateModified": "2026-06-15T08:30:00.000Z",
        "image": [f"https://static.dw.com/image/{article.content_id + 1}_6.jpg"],
    }
    state = {
        f"/graph-api/{article.lang}/content/article/{article.content_id}": {"data": {"content": {
            "id": article.content_id, "title": article.title, "teaser": article.teaser,
            "contentDate": "2026-06-14T19:00:01.536Z", "canonicalUrl": article.canonical,
            "firstPersonArray": [{"fullName": name} for name in article.authors],
        }}},
    }
    byline = "".join(
        f'<span><a href="/{article.lang}/x/person-{4000 + i}" class="author-link m1ho1h07">'
        f"{_e(name)}</a>"
        + (f'<span class="extra-info l1l9ne58"> {_e(article.byline_extra)}</span>' if i == 0
           else "")
        + "</span>"
        for i, name in enumerate(article.authors)
    )
    body = [*_body_lines(article, _figure(article)), *_closing_lines(article)]
    direction = "rtl" if article.lang in {"ar", "fa-ir", "fa-af", "ps", "ur"} else "ltr"
    return f"""<!DOCTYPE html><html class="is-not-amp-page" lang="{article.lang}" dir="{direction}">
<head><meta charset="utf-8">
<title data-rh="true">{_e(article.title)}</title>
<link data-rh="true" href="{_e(article.canonical)}" rel="canonical">
<meta data-rh="true" name="description" content="{_e(article.teaser)}">
<meta data-rh="true" name="date" content="2026-06-14T19:00:01.536Z">
<meta data-rh="true" content="https://static.dw.com/image/{article.content_id + 1}_6.jpg" name="og:image">
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>
</head><body><div id="root"><div class="a1amioo0"><span class="label-top lu2oiv8">Advertisement</span>
<div id="dw_d_article_premium" class="gpt-slot"></div></div>
<section><div class="detail-zone"><article class="sk6xmai"><div class="content-area sa7l9jt">
<header class="sgeegmk"><div data-tracking-name="content-detail-kicker" class="kicker c1wafcin">
<span><a href="/{article.lang}/s-1">Kicker</a></span></div>
<h1 class="daqvxdf ly75pgs">{_e(article.title)}</h1>
<div class="author-details">{byline}</div>
<span class="time-area t1i8qhb9"><span class="publication"><time aria-hidden="true">06/14/2026</time>
<span class="s28j2rd">June 14, 2026</span></span></span>
<p class="teaser-text t1r94ulj">{_e(article.teaser)}</p></header>
<section data-tracking-name="sharing-icons-inline" class="c75t7t0 in-line closed">
<div class="copy-button-wrapper closed"><span class="svdcmki">https://p.dw.com/p/{base62_encode(article.content_id)}</span></div></section>
<div class="a1amioo0 cl16rh"><span class="label-top lu2oiv8">Advertisement</span>
<div id="dw_m_article_top" class="gpt-slot"></div></div>
<div data-tracking-skip="true" data-tracking-name="rich-text" class="c17j8gzx rich-text">
{chr(10).join(body)}
</div><footer class="c1jc41xr"><div class="author su8j2ma"><div class="author-name">
<a href="/{article.lang}/x/person-4000" class="author-link">{_e(article.authors[0])}</a>
<span class="l1l9ne58"> Correspondent</span></div></div></footer></div></article></div></section>
</div><script>window.__APP_STATE__ = {json.dumps(state, ensure_ascii=False)};</script>
</body></html>
"""


def legacy_page(article: EditionArticle) -> str:
    """The article in the legacy design (until mid-2023): byline and date in `ul.smallList`."""
    figure = (
        '<div class="picBox medium rechts"><a class="overlayLink" href="#"><img src="/x.jpg" '
        f'title="{_e(article.caption)}"></a><p>{_e(article.caption)} '
        f"{_e(article.image_credit)}</p></div>"
    )
    body = _body_lines(article, figure)
    if article.author_line:
        body.append(f"<p>{_e(article.author_line)}</p>")
    body += _closing_lines(article)
    joined = (article.authors_joined or ", ").join(article.authors)
    author_fact = (
        f"<li><strong>{_e(article.author_label)}</strong> {_e(joined)} "
        f"({_e(article.byline_extra)})</li>"
        if article.author_label and not article.author_line else ""
    )
    return f"""<!DOCTYPE html><html lang="{article.lang}"><head>
<link rel="canonical" href="{_e(article.canonical)}">
<meta http-equiv="content-type" content="text/html; charset=utf-8">
<meta name="author" content="Deutsche Welle (www.dw.com)">
<meta name="description" content="{_e(article.teaser)}">
<meta property="og:title" content="{_e(article.title)} | DW | 28.04.2023"/>
</head><body><div id="innerFrame"><div class="adsContainer"><div class="adHeadline">Advertisement</div></div>
<div id="bodyContent"><div class="col3"><h1>{_e(article.title)}</h1>
<p class="intro">{_e(article.teaser)}</p>
<div class="group"><div class="longText">
{chr(10).join(body)}
</div></div>
<div class="group"><ul class="smallList">
<li><strong>Date</strong> 28.04.2023</li>
{author_fact}
<li><strong>Permalink</strong> https://p.dw.com/p/{base62_encode(article.content_id)}</li>
</ul></div></div></div></div></body></html>
"""


def render(article: EditionArticle, design: str) -> str:
    """The page of `article` in `design` ("current" or "legacy")."""
    return current_page(article) if design == "current" else legacy_page(article)
