"""The report's own words in English, Finnish and Swedish: headings, table titles and headers, verdicts,
notes and methods sentences of the sections on measurement invariance and on the coded open answers.

The same form as :mod:`coprod.instrument.words` (one catalogue, one language per run, English where a
language has no words of its own): :func:`say` gives a phrase with its values filled in, :func:`header`
a table's column header, and :func:`translate_table` puts a display table's title, headers and notes
into the report's language.
"""
from __future__ import annotations

import re
from numbers import Integral

from coprod.analysis.render import apa
from coprod.analysis.report import words_texts
from coprod.analysis.report import words_nonresponse
from coprod.analysis.report.words_more import METHODS, REPORT

#: Phrases: key -> {language: text}.
PHRASES = {
    # measurement invariance ---------------------------------------------------------------
    "inv.heading": {"en": "Can the groups be compared?", "fi": "Voiko ryhmiä verrata?",
                    "sv": "Kan grupperna jämföras?"},
    "inv.intro": {
        "en": "Before the scale means of the groups are compared, a confirmatory factor analysis checks that each "
              "scale measures the same thing in every group: the same structure (configural), equal loadings "
              "(metric), equal intercepts (scalar: the means can be compared) and equal residual variances (strict).",
        "fi": "Ennen kuin ryhmien mittarikeskiarvoja verrataan, vahvistava faktorianalyysi tarkistaa, että kukin "
              "mittari mittaa samaa asiaa kaikissa ryhmissä: sama rakenne (konfiguraalinen), yhtä suuret lataukset "
              "(metrinen), yhtä suuret vakiotermit (skalaarinen: keskiarvoja voi verrata) ja yhtä suuret "
              "jäännösvarianssit (tiukka).",
        "sv": "Innan gruppernas skalmedelvärden jämförs kontrollerar en konfirmatorisk faktoranalys att varje skala "
              "mäter samma sak i alla grupper: samma struktur (konfigural), lika laddningar (metrisk), lika "
              "interceptvärden (skalär: medelvärdena kan jämföras) och lika residualvarianser (strikt)."},
    "inv.table": {"en": "Factor models and measurement invariance by {by}",
                  "fi": "Faktorimallit ja mittausinvarianssi: {by}",
                  "sv": "Faktormodeller och mätinvarians: {by}"},
    "inv.table note": {
        "en": "All: one-factor model of all respondents. Each level is compared with the one above it; it holds when "
              "CFI drops by at most {dcfi} and RMSEA rises by at most {drmsea} (Chen, 2007). The one-group and "
              "configural models fit when CFI ≥ {cfi}, RMSEA ≤ {rmsea} and SRMR ≤ {srmr} (Hu & Bentler, 1999).",
        "fi": "Kaikki: yhden faktorin malli kaikista vastaajista. Kutakin tasoa verrataan edelliseen; taso pätee, "
              "kun CFI laskee enintään {dcfi} ja RMSEA nousee enintään {drmsea} (Chen, 2007). Yhden ryhmän ja "
              "konfiguraalinen malli sopivat, kun CFI ≥ {cfi}, RMSEA ≤ {rmsea} ja SRMR ≤ {srmr} (Hu & Bentler, 1999).",
        "sv": "Alla: enfaktormodell av alla svarande. Varje nivå jämförs med nivån ovanför; den håller när CFI "
              "sjunker med högst {dcfi} och RMSEA stiger med högst {drmsea} (Chen, 2007). Engruppsmodellen och den "
              "konfigurala modellen passar när CFI ≥ {cfi}, RMSEA ≤ {rmsea} och SRMR ≤ {srmr} (Hu & Bentler, 1999)."},
    "inv.model single": {"en": "All", "fi": "Kaikki", "sv": "Alla"},
    "inv.model configural": {"en": "Configural", "fi": "Konfiguraalinen", "sv": "Konfigural"},
    "inv.model metric": {"en": "Metric", "fi": "Metrinen", "sv": "Metrisk"},
    "inv.model scalar": {"en": "Scalar", "fi": "Skalaarinen", "sv": "Skalär"},
    "inv.model strict": {"en": "Strict", "fi": "Tiukka", "sv": "Strikt"},
    "inv.level configural": {"en": "configural", "fi": "konfiguraalisella", "sv": "konfigurala"},
    "inv.level metric": {"en": "metric", "fi": "metrisellä", "sv": "metriska"},
    "inv.level scalar": {"en": "scalar", "fi": "skalaarisella", "sv": "skalära"},
    "inv.verdict holds": {"en": "holds", "fi": "pätee", "sv": "håller"},
    "inv.verdict fails": {"en": "fails", "fi": "ei päde", "sv": "håller inte"},
    "inv.verdict fits": {"en": "fits", "fi": "sopii", "sv": "passar"},
    "inv.verdict poor fit": {"en": "poor fit", "fi": "heikko sopivuus", "sv": "svag anpassning"},
    "inv.verdict just identified": {"en": "just identified", "fi": "täsmälleen identifioitu",
                                    "sv": "exakt identifierad"},
    "inv.verdict not converged": {"en": "not converged", "fi": "ei konvergoinut", "sv": "konvergerade inte"},
    "inv.strict": {"en": "{scale}: strict invariance holds; the means of the groups can be compared.",
                   "fi": "{scale}: tiukka invarianssi pätee; ryhmien keskiarvoja voi verrata.",
                   "sv": "{scale}: strikt invarians håller; gruppernas medelvärden kan jämföras."},
    "inv.scalar": {"en": "{scale}: scalar invariance holds (strict invariance does not); the means of the groups "
                         "can be compared.",
                   "fi": "{scale}: skalaarinen invarianssi pätee (tiukka ei); ryhmien keskiarvoja voi verrata.",
                   "sv": "{scale}: skalär invarians håller (strikt invarians gör det inte); gruppernas medelvärden "
                         "kan jämföras."},
    "inv.partial": {"en": "{scale}: invariance holds up to the {level} level, then fails (change in CFI {dcfi}, in "
                          "RMSEA {drmsea}); a difference in the means may come from how the items work in each group "
                          "rather than from the groups: compare the means with caution.",
                    "fi": "{scale}: invarianssi pätee {level} tasolla asti, sitten ei (CFI:n muutos {dcfi}, RMSEA:n "
                          "{drmsea}); keskiarvojen ero voi johtua siitä, miten osiot toimivat kussakin ryhmässä, eikä "
                          "ryhmistä itsestään: vertaa keskiarvoja varoen.",
                    "sv": "{scale}: invariansen håller upp till den {level} nivån, sedan inte (förändring i CFI "
                          "{dcfi}, i RMSEA {drmsea}); en skillnad i medelvärdena kan bero på hur frågorna fungerar i "
                          "varje grupp snarare än på grupperna: jämför medelvärdena med försiktighet."},
    "inv.poor configural": {"en": " The configural model misses the cut-offs of good fit (CFI {cfi}, RMSEA {rmsea}, "
                                  "SRMR {srmr}).",
                            "fi": " Konfiguraalinen malli ei täytä hyvän sopivuuden rajoja (CFI {cfi}, RMSEA {rmsea}, "
                                  "SRMR {srmr}).",
                            "sv": " Den konfigurala modellen når inte gränserna för god anpassning (CFI {cfi}, RMSEA "
                                  "{rmsea}, SRMR {srmr})."},
    "inv.not converged": {"en": "{scale}: the estimation did not converge; no verdict.",
                          "fi": "{scale}: estimointi ei konvergoinut; ei tulosta.",
                          "sv": "{scale}: skattningen konvergerade inte; ingen bedömning."},
    "chart.not shown": {"en": "not shown: {groups}", "fi": "ei näytetä: {groups}", "sv": "visas inte: {groups}"},
    "chart.few": {"en": "{label} (n < {n}, not shown)", "fi": "{label} (n < {n}, ei näytetä)",
                  "sv": "{label} (n < {n}, visas inte)"},
    "chart.no answers": {"en": "{label} (no answers)", "fi": "{label} (ei vastauksia)", "sv": "{label} (inga svar)"},
    "inv.few items": {"en": "{scale}: not tested: a one-factor model needs at least three items.",
                      "fi": "{scale}: ei testattu: yhden faktorin malli tarvitsee vähintään kolme osiota.",
                      "sv": "{scale}: inte testad: en enfaktormodell behöver minst tre frågor."},
    "inv.few groups": {"en": "{scale}: not tested: fewer than two groups with at least {n} respondents who answered "
                             "every item.",
                       "fi": "{scale}: ei testattu: alle kaksi ryhmää, joissa vähintään {n} kaikkiin osioihin "
                             "vastannutta.",
                       "sv": "{scale}: inte testad: färre än två grupper med minst {n} svarande som besvarat alla "
                             "frågor."},
    "inv.left out": {"en": "{scale}: left out: {groups} (fewer than {n} respondents who answered every item).",
                     "fi": "{scale}: jätetty pois: {groups} (alle {n} kaikkiin osioihin vastannutta).",
                     "sv": "{scale}: utelämnade: {groups} (färre än {n} svarande som besvarat alla frågor)."},
    "inv.none": {"en": "No scale could be tested: each needs at least three items and two groups with at least {n} "
                       "respondents who answered every item.",
                 "fi": "Yhtään mittaria ei voitu testata: kukin tarvitsee vähintään kolme osiota ja kaksi ryhmää, "
                       "joissa vähintään {n} kaikkiin osioihin vastannutta.",
                 "sv": "Ingen skala kunde testas: var och en behöver minst tre frågor och två grupper med minst {n} "
                       "svarande som besvarat alla frågor."},
    "inv.compare note": {"en": "Scalar invariance was not supported for {scales} (see “{heading}”): differences in "
                               "their means may reflect the measurement rather than the groups.",
                         "fi": "Skalaarinen invarianssi ei saanut tukea mittareille {scales} (ks. ”{heading}”): "
                               "niiden keskiarvojen erot voivat johtua mittauksesta eivätkä ryhmistä.",
                         "sv": "Skalär invarians fick inte stöd för {scales} (se ”{heading}”): skillnader i deras "
                               "medelvärden kan bero på mätningen snarare än på grupperna."},
    "inv.methods": {
        "en": "Measurement invariance of each scale across the groups was tested by multi-group confirmatory factor "
              "analysis (one factor; {estimator}; identified by {identification}; {missing}; groups with fewer than "
              "{n} such respondents left out): configural, metric, scalar and strict models in turn, each level "
              "taken to hold when CFI dropped by at most {dcfi} and RMSEA rose by at most {drmsea} (Chen, 2007).",
        "fi": "Kunkin mittarin mittausinvarianssi ryhmien välillä testattiin monen ryhmän vahvistavalla "
              "faktorianalyysilla (yksi faktori; {estimator}; identifiointi: {identification}; {missing}; ryhmät, "
              "joissa alle {n} tällaista vastaajaa, jätettiin pois): konfiguraalinen, metrinen, skalaarinen ja "
              "tiukka malli vuorollaan; taso katsottiin päteväksi, kun CFI laski enintään {dcfi} ja RMSEA nousi "
              "enintään {drmsea} (Chen, 2007).",
        "sv": "Varje skalas mätinvarians mellan grupperna testades med konfirmatorisk faktoranalys i flera grupper "
              "(en faktor; {estimator}; identifierad genom {identification}; {missing}; grupper med färre än {n} "
              "sådana svarande utelämnades): konfigural, metrisk, skalär och strikt modell i tur och ordning; en "
              "nivå ansågs hålla när CFI sjönk med högst {dcfi} och RMSEA steg med högst {drmsea} (Chen, 2007)."},
    "inv.estimator ml": {"en": "maximum likelihood", "fi": "suurimman uskottavuuden menetelmä",
                         "sv": "maximum likelihood-skattning"},
    "inv.identification marker": {"en": "fixing the first loading to 1", "fi": "ensimmäinen lataus kiinnitetty "
                                  "arvoon 1", "sv": "att den första laddningen fixerades till 1"},
    "inv.missing listwise": {"en": "respondents who answered every item of the scale",
                             "fi": "vastaajat, jotka vastasivat mittarin kaikkiin osioihin",
                             "sv": "svarande som besvarat alla frågor i skalan"},
    # coded open answers ------------------------------------------------------------------
    "coding.heading": {"en": "What respondents said", "fi": "Mitä vastaajat sanoivat", "sv": "Vad de svarande sade"},
    "coding.themes": {"en": "Themes of the open answers by group", "fi": "Avovastausten teemat ryhmittäin",
                      "sv": "Teman i de öppna svaren per grupp"},
    "coding.themes note": {"en": "n: respondents mentioning the theme; %: of those who answered a question the theme "
                                 "applies to.",
                           "fi": "n: teeman maininneet vastaajat; %: niistä, jotka vastasivat kysymykseen, jota "
                                 "teema koskee.",
                           "sv": "n: svarande som nämner temat; %: av dem som besvarade en fråga som temat gäller."},
    "coding.tests": {"en": "Themes: differences between groups", "fi": "Teemat: ryhmien väliset erot",
                     "sv": "Teman: skillnader mellan grupperna"},
    "coding.tests note": {"en": "Mentioning a theme by group: Pearson's χ² test (Fisher's exact test for two groups "
                                "with an expected count under 5); effect size Cramér's V.",
                          "fi": "Teeman mainitseminen ryhmittäin: Pearsonin χ²-testi (Fisherin tarkka testi "
                                "kahdelle ryhmälle, kun odotettu frekvenssi on alle 5); efektikoko Cramérin V.",
                          "sv": "Att nämna ett tema per grupp: Pearsons χ²-test (Fishers exakta test för två grupper "
                                "med en förväntad frekvens under 5); effektstorlek Cramérs V."},
    "coding.adjusted": {"en": "p adj.: adjusted across the themes ({method}).",
                        "fi": "p korj.: korjattu teemojen yli ({method}).",
                        "sv": "p just.: justerat över temana ({method})."},
    "coding.agreement": {"en": "Agreement between coders", "fi": "Koodaajien yhtäpitävyys",
                         "sv": "Överensstämmelse mellan kodarna"},
    "coding.agreement note": {"en": "Krippendorff's α (nominal) over the answers coded by at least two coders.",
                              "fi": "Krippendorffin α (nominaali) vähintään kahden koodaajan koodaamista "
                                    "vastauksista.",
                              "sv": "Krippendorffs α (nominal) över svaren som kodats av minst två kodare."},
    "coding.all themes": {"en": "All themes", "fi": "Kaikki teemat", "sv": "Alla teman"},
    "coding.quotes": {"en": "Quotes", "fi": "Lainauksia", "sv": "Citat"},
    "coding.quotes note": {"en": "Answers the coders marked as quotable, under pseudonymous keys; read each one "
                                 "before quoting it (flagged: it may name a person or give a phone number or e-mail "
                                 "address).",
                           "fi": "Koodaajien lainattaviksi merkitsemät vastaukset pseudonyymeillä tunnisteilla; lue "
                                 "jokainen ennen lainaamista (merkitty: saattaa sisältää nimen, puhelinnumeron tai "
                                 "sähköpostiosoitteen).",
                           "sv": "Svar som kodarna markerat som citerbara, under pseudonyma nycklar; läs vart och "
                                 "ett innan du citerar det (flaggat: kan innehålla ett namn, ett telefonnummer eller "
                                 "en e-postadress)."},
    "coding.flagged": {"en": "check", "fi": "tarkista", "sv": "kontrollera"},
    "coding.no quotes": {"en": "No answer was marked as a quote.", "fi": "Yhtään vastausta ei merkitty lainaukseksi.",
                         "sv": "Inget svar markerades som citat."},
    "coding.methods": {
        "en": "Open answers were coded with the codebook of {themes} themes by {coders}; {combined}a respondent "
              "mentions a theme when it is present in any of their answers to the questions it applies to. "
              "Mentioning was compared between groups with Pearson's χ² test (Fisher's exact test for two groups "
              "with an expected count under 5) and Cramér's V.",
        "fi": "Avovastaukset koodattiin {themes} teeman koodikirjalla ({coders}); {combined}vastaaja mainitsee "
              "teeman, kun se esiintyy jossakin hänen vastauksessaan kysymyksiin, joita teema koskee. Mainitsemista "
              "verrattiin ryhmien välillä Pearsonin χ²-testillä (Fisherin tarkalla testillä kahdelle ryhmälle, kun "
              "odotettu frekvenssi oli alle 5) ja Cramérin V:llä.",
        "sv": "De öppna svaren kodades med kodboken med {themes} teman av {coders}; {combined}en svarande nämner "
              "ett tema när det finns i något av hens svar på de frågor som temat gäller. Att nämna ett tema "
              "jämfördes mellan grupperna med Pearsons χ²-test (Fishers exakta test för två grupper med en förväntad "
              "frekvens under 5) och Cramérs V."},
    "coding.one coder": {"en": "one coder", "fi": "yksi koodaaja", "sv": "en kodare"},
    "coding.coders": {"en": "{n} coders working independently", "fi": "{n} koodaajaa toisistaan riippumatta",
                      "sv": "{n} kodare oberoende av varandra"},
    "coding.combined": {"en": "their codes were combined per answer by the {rule} rule; ",
                        "fi": "heidän koodinsa yhdistettiin vastauksittain {rule}-säännöllä; ",
                        "sv": "deras koder kombinerades per svar enligt {rule}regeln; "},
    "coding.rule majority": {"en": "majority", "fi": "enemmistö", "sv": "majoritets"},
    "coding.rule any": {"en": "any-coder", "fi": "kuka tahansa", "sv": "någon kodare-"},
    "coding.rule all": {"en": "all-coders", "fi": "kaikki koodaajat", "sv": "alla kodare-"},
    "coding.alpha": {"en": "Agreement between the coders over {units} answer-theme decisions was Krippendorff's "
                           "α = {alpha} (nominal), {percent}% agreement.",
                     "fi": "Koodaajien yhtäpitävyys {units} vastaus–teema-päätöksessä oli Krippendorffin α = {alpha} "
                           "(nominaali), {percent} % yhtäpitävyys.",
                     "sv": "Överensstämmelsen mellan kodarna över {units} beslut om svar och tema var "
                           "Krippendorffs α = {alpha} (nominal), {percent} % överensstämmelse."},
    "coding.alpha undefined": {"en": "undefined", "fi": "määrittelemätön", "sv": "odefinierad"},
    # words shared by the tables ----------------------------------------------------------
    "Total": {"en": "Total", "fi": "Yhteensä", "sv": "Totalt"},
    "suppressed": {"en": ".. = not shown to protect confidentiality: fewer than {n} respondents, or a figure from "
                         "which such a cell could be worked out from the totals.",
                   "fi": ".. = ei näytetä luottamuksellisuuden vuoksi: alle {n} vastaajaa, tai luku, josta "
                         "tällainen solu voitaisiin laskea summista.",
                   "sv": ".. = visas inte av sekretesskäl: färre än {n} svarande, eller ett tal ur vilket en "
                         "sådan cell kunde räknas fram ur summorna."},
}

#: Column headers of the new tables: English header -> {language: header}; symbols stay as they are.
HEADERS = {
    "Scale": {"fi": "Mittari", "sv": "Skala"},
    "Model": {"fi": "Malli", "sv": "Modell"},
    "Verdict": {"fi": "Tulos", "sv": "Bedömning"},
    "Theme": {"fi": "Teema", "sv": "Tema"},
    "Group": {"fi": "Ryhmä", "sv": "Grupp"},
    "Test": {"fi": "Testi", "sv": "Test"},
    "Statistic": {"fi": "Testisuure", "sv": "Teststorhet"},
    "p adj.": {"fi": "p korj.", "sv": "p just."},
    "Note": {"fi": "Huom.", "sv": "Anm."},
    "Units": {"fi": "Päätöksiä", "sv": "Beslut"},
    "Coders": {"fi": "Koodaajia", "sv": "Kodare"},
    "% agreement": {"fi": "% yhtäpitävyys", "sv": "% överensstämmelse"},
    "Key": {"fi": "Tunniste", "sv": "Nyckel"},
    "Question": {"fi": "Kysymys", "sv": "Fråga"},
    "Quote": {"fi": "Lainaus", "sv": "Citat"},
    "Flags": {"fi": "Tarkista", "sv": "Kontrollera"},
    "Answering": {"fi": "Vastanneita", "sv": "Svarande"},
}
HEADERS = {**words_texts.HEADERS, **words_nonresponse.HEADERS, **HEADERS}
PHRASES.update(METHODS)
PHRASES.update(REPORT)
PHRASES.update(words_nonresponse.PHRASES)

#: The document's own furniture (:meth:`analysis.render.Document.word`) by language.
DOCUMENT_WORDS = {
    "fi": {"table": "Taulukko", "figure": "Kuvio", "note": "Huom.", "provenance": "Tiedot raportista",
           "report": "Raportti", "charts": "Kuviot", "page": "Sivu", "of": "/", "about": "Tietoja"},
    "sv": {"table": "Tabell", "figure": "Figur", "note": "Anm.", "provenance": "Om rapporten",
           "report": "Rapport", "charts": "Diagram", "page": "Sida", "of": "av", "about": "Om"},
}


def say(key: str, lang: str = "en", **values) -> str:
    """The phrase ``key`` in ``lang`` (English where there is none), with ``values`` filled in.

    >>> say("inv.heading", "sv"), say("inv.verdict holds", "fi"), say("inv.heading", "de")
    ('Kan grupperna jämföras?', 'pätee', 'Can the groups be compared?')
    """
    forms = PHRASES[key]
    text = _numbers_styled(forms.get(lang) or forms["en"])
    if values and apa.current_decimal() == "comma":  # counts: thousands after a no-break space
        values = {k: apa.fmt_int(v) if isinstance(v, Integral) and not isinstance(v, bool) else v
                  for k, v in values.items()}
    return text.format(**values) if values else text


_NUMBER = re.compile(r"(?<![\w.])(\d*)\.(\d+)(?![\w.])")


def _numbers_styled(text: str) -> str:
    """The catalogue's own numbers (``p < .05``, ``1.5``) in the report's decimal style."""
    return _NUMBER.sub(r"\1,\2", text) if apa.current_decimal() == "comma" else text


def header(text: str, lang: str) -> str:
    """A column header in ``lang`` (as it is where the catalogue has no other form).

    >>> header("Scale", "fi"), header("CFI", "fi"), header("Scale", "en")
    ('Mittari', 'CFI', 'Scale')
    """
    return HEADERS.get(text, {}).get(lang, text)


def translate_table(table, lang: str, title: str, notes: list[str]):
    """``table`` (a display table) with ``title``, its headers in ``lang`` and ``notes`` (already in ``lang``)."""
    for col in table.columns:
        col.header = header(col.header, lang)
    table.title = title
    table.notes = [n for n in notes if n]
    return table


def decimal(x: float, digits: int = 3) -> str:
    """A fit index or its change as the tables show it: no leading zero.

    >>> decimal(-0.0123), decimal(0.95), decimal(1.5, 2)
    ('-.012', '.950', '1.50')
    """
    text = f"{x:.{digits}f}"
    return apa.styled(text.replace("0.", ".", 1) if abs(x) < 1 else text)


#: Columns whose cells are names the catalogue knows (tests, corrections, "Total", problem meanings).
_TERM_COLUMNS = {"Group", "Answer", "Test", "Method", "Meaning", "Effect"}
_SENTENCE = re.compile(r"(?<=\.)\s+(?=[^=\s])")


def term(text: str, lang: str) -> str:
    """A test's, a correction's or another fixed name in ``lang`` (as it is where the catalogue has none).

    >>> term("Welch's ANOVA", "fi"), term("Holm's method", "sv"), term("Total", "en")
    ('Welchin ANOVA', 'Holms metod', 'Total')
    """
    return words_texts.TERMS.get(text, {}).get(lang, text)


def detail(text: str, lang: str) -> str:
    """A detail of the data check in ``lang`` (as it is where no pattern of the catalogue matches).

    >>> detail("expected 1, 2, 3 or missing -9", "fi"), detail("kept as it is", "sv")
    ('sallitut koodit 1, 2, 3 tai puuttuvan tiedon koodit -9', 'behålls som den är')
    """
    for pattern, forms in words_texts.DETAILS.items():
        m = re.fullmatch(pattern, text)
        if m and lang in forms:
            return forms[lang].format(**m.groupdict())
    return text


def _terms(text: str, lang: str) -> str:
    return ", ".join(term(t, lang) for t in text.split(", "))


def sentence(text: str, lang: str) -> str:
    """A table note in ``lang``, sentence by sentence (a sentence the catalogue lacks stays as it is).

    >>> sentence("Diff.: first group minus second. p-values are not adjusted for multiple testing.", "sv")
    'Diff.: första gruppen minus den andra. p-värdena är inte justerade för multipla test.'
    """
    if lang == "en" or not text:
        return text
    out = []
    for part in _SENTENCE.split(text):
        forms = words_texts.SENTENCES.get(part)
        if forms is None:
            for pattern, templates in words_texts.PATTERNS.items():
                m = re.fullmatch(pattern, part)
                if m:
                    part = templates[lang].format(**{k: _terms(v, lang) for k, v in m.groupdict().items()})
                    break
        else:
            part = forms[lang]
        out.append(part)
    return " ".join(out)


def cell_note(text: str, lang: str) -> str:
    """One note of a table's Note column in ``lang`` (as it is where the catalogue has none).

    >>> cell_note("not asked of Service user or client", "fi")
    'ei kysytty: Service user or client'
    """
    for pattern, forms in words_texts.CELL_NOTES.items():
        m = re.fullmatch(pattern, text)
        if m and lang in forms:
            return forms[lang].format(**m.groupdict())
    return text


def localise(doc, lang: str):
    """Put the tables of ``doc`` (a report's document) into ``lang`` in place: titles, headers, the cells
    that name tests, corrections, totals or missing answers, and the notes. English: nothing to do."""
    from coprod.analysis.render.document import DisplayTable

    if lang not in ("fi", "sv"):
        return doc
    missing = {"fi": "(puuttuva)", "sv": "(saknas)"}[lang]
    for block in doc.blocks:
        if not isinstance(block, DisplayTable):
            continue
        block.title = words_texts.TITLES.get(block.title, {}).get(lang, block.title)
        named = [i for i, c in enumerate(block.columns) if c.header in _TERM_COLUMNS]
        details = [i for i, c in enumerate(block.columns) if c.header == "Detail"]
        for c in block.columns:
            m = re.fullmatch(r"(.+?)( \(n = [^)]*\))", c.header)
            c.header = term(m.group(1), lang) + m.group(2) if m else header(c.header, lang)
        notes_at = [i for i, c in enumerate(block.columns) if c.header in ("Note", "Huom.", "Anm.")]
        for row in block.rows:
            for i in named:
                if isinstance(row[i], str):
                    row[i] = term(row[i], lang).replace("(missing)", missing)
            for i in notes_at:
                if isinstance(row[i], str) and row[i]:
                    row[i] = "; ".join(cell_note(part, lang) for part in row[i].split("; "))
            for i in details:
                if isinstance(row[i], str):
                    row[i] = detail(row[i], lang)
        block.notes = [sentence(n, lang) for n in block.notes]
    names = words_texts.PROVENANCE
    doc.provenance = {names.get(k, {}).get(lang, k): names.get(v, {}).get(lang, v) if isinstance(v, str) else v
                      for k, v in (doc.provenance or {}).items()}
    return doc
