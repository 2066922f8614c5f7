"""DW's language editions and what newsbot knows of each: the one registry.

Every edition's code (the path prefix of its pages, `/pt-br/...`, and the item's `language`),
the code of its RSS feed with where that code comes from, and the wording its pages use for the
lines that are not article text. Settings, discovery and extraction all read this module; no
other module writes an edition code out.

Wording rows are empty where DW's own wording in that language is not known to the project: a
rule that deletes a real sentence is worse than a missed promo, so nothing is guessed. Rules
match a label of any edition (a page's language does not pick the row: DW quotes promos and
credits across editions), see newsbot.extraction.cleaning and newsbot.extraction.credits.
"""

from __future__ import annotations

from dataclasses import dataclass

Labels = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Edition:
    """One DW edition."""

    code: str
    # The feed's code, `rss.dw.com/xml/rss-<feed>-all`: DW's own abbreviation, not always the
    # edition's code. NEWSBOT_FEED_CODES overrides it; a wrong one costs only the fallback.
    feed: str
    # Where the feed code comes from and how sure that is ("DW tracking": a `?maca=` query DW's
    # servers wrote on a feed's links, the strongest evidence; "lists": third-party lists only).
    feed_source: str
    # "Read more:" link paragraphs (the colon is required: "Read more about..." survives).
    read_more: Labels = ()
    # Whole-line promos (the DW app, social media, newsletters), matched at the line's start.
    promos: Labels = ()
    # A caption's credit label left in the text ("... Bild: Max Muster/dpa").
    image_credits: Labels = ()
    # An ad slot's label standing alone on a line.
    ads: Labels = ()
    # "Permalink": a share widget's line in the body, a metadata label on legacy pages.
    permalinks: Labels = ()
    # What a player leaves behind: "Watch video 00:58".
    players: Labels = ()
    # Credit labels of authors (legacy info lists, a closing "Autor: ..." line) and editors
    # ("Edited by: ..."), matched with or without accents, in any case.
    authors: Labels = ()
    editors: Labels = ()


EDITIONS: tuple[Edition, ...] = (
    Edition(
        "sq", feed="alb",
        feed_source="no evidence found (lists show rss-sq-all): a guess",
        read_more=("Lexoni edhe", "Lexoni gjithashtu"),
        image_credits=("Foto",),
        ads=("Reklamë",),
        authors=("Autor", "Autori"),
    ),
    Edition(
        "am", feed="amh",
        feed_source="lists: rss-amh-news in several, rss-amh-all in one (unsure which)",
        image_credits=("ምስል",),
        ads=("ማስታወቂያ",),
    ),
    Edition(
        "ar", feed="ar",
        feed_source="DW tracking ara-rss-ar-all-1125-xml-atom (2016): certain",
        read_more=(
            "اقرأ أيضا", "اقرأ أيضاً", "اقرأ ايضا", "إقرأ أيضا", "إقرأ أيضاً", "اقرأ المزيد",
        ),
        image_credits=("الصورة",),
        ads=("إعلان",),
        permalinks=("الرابط الثابت", "رابط دائم"),
        players=("شاهد الفيديو", "استمع إلى الملف الصوتي"),
        authors=("المؤلف", "الكاتب", "كاتب", "كاتبة"),
        editors=("تحرير",),
    ),
    Edition(
        "bn", feed="ben",
        feed_source="lists only",
        read_more=("আরও পড়ুন",),
        image_credits=("ছবি",),
        ads=("বিজ্ঞাপন",),
    ),
    Edition(
        "bs", feed="bos",
        feed_source="a 2020 feed's channel URL rss-bos-all.1475.rdf, DW tracking on 2020 pages",
        read_more=("Pročitajte još", "Pročitajte i"),
        promos=("Čitajte nas i preko DW-aplikacije", "Pratite nas i na"),
        image_credits=("Foto", "Fotografija"),
        ads=("Reklama", "Oglas"),
        authors=("Autor", "Autorica"),
    ),
    Edition(
        "bg", feed="bul",
        feed_source="no evidence found (lists show rss-bg-all): a guess",
        read_more=("Прочетете още", "Прочетете също"),
        image_credits=("Снимка", "Фото"),
        ads=("Реклама",),
        authors=("Автор",),
    ),
    Edition(
        "zh", feed="chi",
        feed_source="DW tracking chi-rss-chi-all-1127-rdf (2017, 2026), a 2015 feed: certain",
        read_more=("延伸阅读",),
        promos=("DW中文有Instagram",),
        image_credits=("图像来源", "图片来源"),
        ads=("广告",),
        authors=("作者",),
        editors=("责编",),
    ),
    Edition(
        "zh-hant", feed="chi-hant",
        feed_source="no evidence found: a guess",
        read_more=("延伸閱讀",),
        promos=("DW中文有Instagram",),
        image_credits=("圖片來源", "圖像來源"),
        ads=("廣告",),
        authors=("作者",),
        editors=("責編",),
    ),
    Edition(
        "hr", feed="cro",
        feed_source="a 2010 list: unsure",
        read_more=("Pročitajte još", "Pročitajte i"),
        promos=("Čitajte nas i preko DW-aplikacije", "Pratite nas i na"),
        image_credits=("Foto", "Fotografija"),
        ads=("Reklama", "Oglas"),
        authors=("Autor", "Autorica"),
    ),
    Edition(
        "fa-af", feed="dar",
        feed_source="no evidence found: a guess",
        read_more=("بیشتر بخوانید", "همچنین بخوانید"),
        image_credits=("عکس",),
        ads=("تبلیغات",),
        permalinks=("لینک ثابت",),
        authors=("نویسنده",),
    ),
    Edition(
        "en", feed="en",
        feed_source="DW tracking en-rss-en-all-1573-rdf (up to 2026): certain",
        read_more=("Read more", "Read also", "Also read", "More on this", "Related"),
        promos=(
            "Read us on the DW app", "Download the DW app", "Choose from 30 languages",
            "While you're here: Every Tuesday, DW editors", "Every day, DW's editors send out",
            "Every evening, DW's senior editors send out",
        ),
        image_credits=("Image", "Photo", "Picture", "Video"),
        ads=("Advertisement",),
        permalinks=("Permalink",),
        players=("Watch video", "Play video", "Listen to audio"),
        authors=("Author", "Authors"),
        editors=("Edited by", "Editor"),
    ),
    Edition(
        "fr", feed="fr",
        feed_source="lists only",
        read_more=(
            "Lire aussi", "À lire aussi", "A lire aussi", "Lire également", "À lire également",
            "Voir aussi",
        ),
        image_credits=("Image", "Photo"),
        ads=("Publicité",),
        permalinks=("Permalien",),
        players=("Regarder la vidéo", "Écouter l'audio", "Ecouter l'audio"),
        authors=("Auteur", "Auteure", "Auteurs"),
        editors=("Édition",),
    ),
    Edition(
        "de", feed="de",
        feed_source="DW tracking de-rss-de-all-1119-xml-mrss (2023-2026): certain",
        read_more=(
            "Lesen Sie mehr", "Lesen Sie auch", "Lesen Sie hier", "Mehr zum Thema", "Mehr dazu",
        ),
        image_credits=("Bild", "Bilder", "Foto", "Fotos"),
        ads=("Anzeige", "Werbung"),
        permalinks=("Permalink",),
        players=("Video ansehen", "Audio anhören"),
        authors=("Autor", "Autorin", "Autoren", "Autorinnen"),
        editors=("Redaktion",),
    ),
    Edition(
        "el", feed="gre",
        feed_source="one list: unsure",
        read_more=("Διαβάστε επίσης", "Διαβάστε ακόμη"),
        image_credits=("Φωτογραφία", "Εικόνα"),
        ads=("Διαφήμιση",),
    ),
    Edition(
        "ha", feed="hau",
        feed_source="no evidence found: a guess",
        image_credits=("Hoto",),
        ads=("Talla",),
        editors=("Edita",),
    ),
    Edition(
        "hi", feed="hin",
        feed_source="lists only",
        read_more=("यह भी पढ़ें",),
        image_credits=("तस्वीर",),
        ads=("विज्ञापन",),
        permalinks=("पर्मालिंक",),
        authors=("रिपोर्ट",),
        editors=("संपादन",),
    ),
    Edition(
        "id", feed="ind",
        feed_source="no evidence found (lists show rss-id-all): a guess",
        read_more=("Baca juga",),
        image_credits=("Foto", "Gambar"),
        ads=("Iklan",),
        authors=("Penulis",),
    ),
    Edition(
        "sw", feed="kis",
        feed_source="lists: rss-kis-all in 7 near-identical lists, rss-sw-all in 3",
        read_more=("Soma pia", "Soma zaidi"),
        image_credits=("Picha",),
        ads=("Tangazo",),
        authors=("Mwandishi",),
        editors=("Mhariri",),
    ),
    Edition(
        "mk", feed="mak",
        feed_source="no evidence found (one repository: rss-mac-all on another host): a guess",
        image_credits=("Фото",),
        ads=("Реклама",),
        authors=("Автор",),
    ),
    Edition(
        "ps", feed="pas",
        feed_source="no evidence found (lists show rss-ps-all): a guess",
    ),
    Edition(
        "fa-ir", feed="per",
        feed_source="lists only",
        read_more=("بیشتر بخوانید", "بیشتر بدانید", "همچنین بخوانید", "بخوانید"),
        image_credits=("عکس",),
        ads=("تبلیغات",),
        permalinks=("لینک ثابت", "لینک دائمی"),
        players=("تماشای ویدیو", "پخش ویدیو", "شنیدن فایل صوتی"),
        authors=("نویسنده", "نویسندگان"),
    ),
    Edition(
        "pl", feed="pol",
        feed_source="lists only",
        read_more=("Czytaj też", "Czytaj także", "Przeczytaj też"),
        image_credits=("Zdjęcie", "Foto"),
        ads=("Reklama",),
        authors=("Autor", "Autorka"),
        editors=("Redakcja",),
    ),
    Edition(
        "pt-002", feed="pt",
        feed_source="lists disagree: rss-pt-all and rss-por-all both appear",
        read_more=("Leia também", "Leia mais", "Veja também"),
        image_credits=("Foto", "Imagem"),
        ads=("Publicidade",),
        permalinks=("Link permanente",),
        players=("Assistir ao vídeo", "Ouvir o áudio"),
        authors=("Autor", "Autora", "Autores"),
    ),
    Edition(
        "pt-br", feed="br",
        feed_source="lists; rss-br-all answered in 2026-09 but empty or stale",
        read_more=("Leia também", "Leia mais", "Veja também"),
        promos=(
            "Siga-nos no",
            "A Deutsche Welle é a emissora internacional da Alemanha e produz "
            "jornalismo independente",
        ),
        image_credits=("Foto", "Imagem"),
        ads=("Publicidade",),
        permalinks=("Link permanente",),
        players=("Assistir ao vídeo", "Ouvir o áudio"),
        authors=("Autor", "Autora", "Autores"),
    ),
    Edition(
        "ro", feed="rom",
        feed_source="lists only",
        read_more=("Citiți și", "Citește și"),
        image_credits=("Foto", "Imagine"),
        ads=("Reclamă",),
        authors=("Autor",),
    ),
    Edition(
        "ru", feed="ru",
        feed_source="DW tracking rus-rss-ru-all-1126-rdf: certain",
        read_more=("Читайте также", "Читайте по теме", "Читайте больше"),
        image_credits=("Фото",),
        ads=("Реклама",),
        permalinks=("Постоянная ссылка",),
        players=("Смотреть видео", "Слушать аудио"),
        authors=("Автор", "Авторы"),
        editors=("Редактор",),
    ),
    Edition(
        "sr", feed="ser",
        feed_source="DW tracking ser-rss-ser-all-1494-rdf: certain",
        read_more=("Pročitajte još", "Pročitajte i", "Прочитајте још"),
        promos=("Čitajte nas i preko DW-aplikacije", "Pratite nas i na"),
        image_credits=("Foto", "Фото"),
        ads=("Reklama",),
        authors=("Autor", "Autorka", "Аутор"),
    ),
    Edition(
        "es", feed="spa",
        feed_source="DW tracking spa-rss-spa-all-1491-rdf (2026): certain (old code: sp)",
        read_more=("Lea también", "Lee también", "Leer más", "Le puede interesar"),
        image_credits=("Imagen", "Foto", "Fotografía"),
        ads=("Publicidad",),
        permalinks=("Enlace permanente",),
        players=("Ver el video", "Ver vídeo", "Escuchar el audio"),
        authors=("Autor", "Autora", "Autores"),
        editors=("Edición",),
    ),
    Edition(
        "tr", feed="tur",
        feed_source="the 2026-09 feeds in ../shared/dw-feeds/: certain",
        read_more=("Ayrıca okuyun", "Bunu da okuyun", "Daha fazlası"),
        image_credits=("Fotoğraf", "Foto"),
        ads=("Reklam",),
        permalinks=("Kalıcı bağlantı",),
        players=("Videoyu izle", "Sesi dinle"),
        authors=("Yazar", "Yazarlar"),
    ),
    Edition(
        "uk", feed="ukr",
        feed_source="lists only",
        read_more=("Читайте також",),
        image_credits=("Фото",),
        ads=("Реклама",),
        authors=("Автор", "Авторка"),
        editors=("Редактор",),
    ),
    Edition(
        "ur", feed="urd",
        feed_source="DW tracking urd-rss-urd-all-1497-xml-mrss: certain",
        read_more=("یہ بھی پڑھیے", "یہ بھی پڑھیں"),
        image_credits=("تصویر",),
        ads=("اشتہار",),
    ),
)
BY_CODE: dict[str, Edition] = {edition.code: edition for edition in EDITIONS}
CODES: tuple[str, ...] = tuple(BY_CODE)
FEED_CODES: dict[str, str] = {edition.code: edition.feed for edition in EDITIONS}


def wording(field: str) -> dict[str, Labels]:
    """One wording field of every edition, by code (`wording("authors")["de"]`)."""
    return {edition.code: getattr(edition, field) for edition in EDITIONS}


def all_labels(field: str) -> Labels:
    """Every label of one wording field once, longest first (alternations prefer the longest)."""
    labels = {label for edition in EDITIONS for label in getattr(edition, field)}
    return tuple(sorted(labels, key=lambda label: (-len(label), label)))


# Labels of the legacy design's metadata list (`ul.smallList`: `<li><strong>Label</strong>`),
# matched whatever the page's edition, like the wording above.
LEGACY_DATE_LABELS: Labels = (
    "Date", "Datum", "Fecha", "Data", "التاريخ", "تاریخ", "Дата", "Tarih", "日期", "Tarehe",
    "Datë", "Датум", "Dátum", "Data publicării",
)
LEGACY_KEYWORD_LABELS: Labels = (
    "Keywords", "Schlagwörter", "Mots-clés", "Mots clés", "Palabras clave", "Palavras-chave",
    "كلمات مفتاحية", "الكلمات المفتاحية", "کلیدواژه‌ها", "کلید واژه‌ها", "واژه‌های کلیدی",
    "Ключевые слова", "Anahtar kelimeler", "关键词", "Maneno muhimu",
)
LEGACY_RELATED_LABELS: Labels = (
    "Related Subjects", "Themenseiten", "Thèmes", "Sujets associés", "Temas relacionados",
    "Temas", "Assuntos relacionados", "Tópicos", "مواضيع ذات صلة", "موضوعات مرتبط",
    "موضوع‌های مرتبط", "Темы", "Связанные темы", "İlgili konular", "Konular",
)
