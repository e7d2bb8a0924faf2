"""The render layer's English words as the report shows them, in Finnish and Swedish: column headers,
table titles, method names and the sentences of the table notes (English text -> {language: text}).

:func:`coprod.analysis.report.words.localise` looks each header, title, chosen cell and note sentence up
here; ``PATTERNS`` covers the sentences with a number or a name in them.
"""
from __future__ import annotations


def _t(fi: str, sv: str) -> dict:
    return {"fi": fi, "sv": sv}


#: Column headers.
HEADERS = {
    "Variable": _t("Muuttuja", "Variabel"), "Label": _t("Nimike", "Etikett"), "Group": _t("Ryhmä", "Grupp"),
    "Missing": _t("Puuttuvia", "Saknade"), "M": _t("ka", "M"), "SD": _t("kh", "SD"), "Mdn": _t("Md", "Md"),
    "Min": _t("Min", "Min"), "Max": _t("Maks", "Max"), "% agree": _t("% samaa mieltä", "% instämmer"),
    "% top box": _t("% ylimmät luokat", "% högsta kategorierna"),
    "Skew.": _t("Vinous", "Snedhet"), "Kurt.": _t("Huipukkuus", "Toppighet"), "Answer": _t("Vastaus", "Svar"),
    "Valid %": _t("Kelp. %", "Giltiga %"), "Cum. %": _t("Kum. %", "Kum. %"), "Scale": _t("Mittari", "Skala"),
    "Sum M (SD)": _t("Summan ka (kh)", "Summans M (SD)"), "95% CI": _t("95 %:n lv", "95 % KI"),
    "95% CI (valid %)": _t("95 %:n lv (kelp. %)", "95 % KI (giltiga %)"),
    "Mean r": _t("r:n ka", "Medel-r"), "Note": _t("Huom.", "Anm."), "Item": _t("Osio", "Fråga"),
    "r (item-rest)": _t("r (osio–muut)", "r (fråga–övriga)"), "α if deleted": _t("α ilman osiota", "α utan frågan"),
    "ω if deleted": _t("ω ilman osiota", "ω utan frågan"), "Test": _t("Testi", "Test"),
    "Statistic": _t("Testisuure", "Teststorhet"), "p adj.": _t("p korj.", "p just."),
    "Effect size": _t("Efektikoko", "Effektstorlek"), "Comparison": _t("Vertailu", "Jämförelse"),
    "Method": _t("Menetelmä", "Metod"), "Diff.": _t("Ero", "Diff."), "SE": _t("kv", "SE"),
    "Effect": _t("Efekti", "Effekt"), "CI method": _t("Lv:n menetelmä", "KI-metod"), "Code": _t("Koodi", "Kod"),
    "Row": _t("Rivi", "Rad"), "Respondent": _t("Vastaaja", "Svarande"), "Problem": _t("Ongelma", "Problem"),
    "Detail": _t("Tarkemmin", "Detalj"), "Meaning": _t("Merkitys", "Betydelse"), "Rows": _t("Rivejä", "Rader"),
    "Values": _t("Arvoja", "Värden"), "Model": _t("Malli", "Modell"), "Verdict": _t("Tulos", "Bedömning"),
    "Theme": _t("Teema", "Tema"), "Mentioning": _t("Maininneita", "Nämnande"), "Answering": _t("Vastanneita", "Svarande"),
    "Units": _t("Päätöksiä", "Beslut"), "Coders": _t("Koodaajia", "Kodare"),
    "% agreement": _t("% yhtäpitävyys", "% överensstämmelse"), "Theme 1": _t("Teema 1", "Tema 1"),
    "Theme 2": _t("Teema 2", "Tema 2"), "Key": _t("Tunniste", "Nyckel"), "Question": _t("Kysymys", "Fråga"),
    "Quote": _t("Lainaus", "Citat"), "Flags": _t("Tarkista", "Kontrollera"), "Estimate": _t("Estimaatti", "Skattning"),
    "Group 1": _t("Ryhmä 1", "Grupp 1"), "Group 2": _t("Ryhmä 2", "Grupp 2"), "Reason": _t("Syy", "Orsak"),
    "Mean rank": _t("Järjestyslukujen ka", "Medelrang"), "Groups": _t("Ryhmät", "Grupper"),
    "Source": _t("Vaihtelun lähde", "Variationskälla"), "Expected": _t("Odotettu", "Förväntat"),
    "Adj. residual": _t("Korj. residuaali", "Just. residual"), "Warning": _t("Varoitus", "Varning"),
    "Correction": _t("Korjaus", "Korrektion"), "Statistic ": _t("Testisuure", "Teststorhet"),
}

#: Table titles the render layer gives.
TITLES = {
    "Sample by group": _t("Aineisto ryhmittäin", "Urval per grupp"),
    "Descriptive statistics": _t("Tunnusluvut", "Beskrivande statistik"),
    "Means and standard deviations by group": _t("Keskiarvot ja keskihajonnat ryhmittäin",
                                                  "Medelvärden och standardavvikelser per grupp"),
    "Frequencies": _t("Frekvenssit", "Frekvenser"),
    "Reliability of the scales": _t("Mittarien reliabiliteetti", "Skalornas reliabilitet"),
    "Item-total statistics": _t("Osio–kokonaispistemäärä-tunnusluvut", "Fråga–totalpoäng-statistik"),
    "Group comparisons": _t("Ryhmävertailut", "Gruppjämförelser"),
    "Pairwise comparisons": _t("Parittaiset vertailut", "Parvisa jämförelser"),
    "Effect sizes": _t("Efektikoot", "Effektstorlekar"),
    "Agreement between coders": _t("Koodaajien yhtäpitävyys", "Överensstämmelse mellan kodare"),
    "Themes by group": _t("Teemat ryhmittäin", "Teman per grupp"),
    "Themes: differences between groups": _t("Teemat: ryhmien väliset erot", "Teman: skillnader mellan grupper"),
    "Co-occurrence of themes": _t("Teemojen yhteisesiintyminen", "Samförekomst av teman"),
    "Themes and scale scores": _t("Teemat ja mittarien pistemäärät", "Teman och skalpoäng"),
    "Quote bank": _t("Lainauspankki", "Citatbank"),
}

#: Names of tests and corrections (table cells and the methods paragraph).
TERMS = {
    "One-way ANOVA": _t("yksisuuntainen varianssianalyysi", "envägs variansanalys"),
    "Welch's t test": _t("Welchin t-testi", "Welchs t-test"), "Welch's ANOVA": _t("Welchin ANOVA", "Welchs ANOVA"),
    "Kruskal-Wallis test": _t("Kruskal–Wallisin testi", "Kruskal–Wallis test"),
    "Student's t test": _t("Studentin t-testi", "Students t-test"),
    "Mann-Whitney U test": _t("Mann–Whitneyn U-testi", "Mann–Whitney U-test"),
    "Chi-square test": _t("χ²-testi", "χ²-test"), "Fisher's exact test": _t("Fisherin tarkka testi", "Fishers exakta test"),
    "Tukey HSD": _t("Tukeyn HSD", "Tukeys HSD"), "Games-Howell": _t("Games–Howell", "Games–Howell"),
    "Dunn's test": _t("Dunnin testi", "Dunns test"), "Dunn's test (Holm)": _t("Dunnin testi (Holm)", "Dunns test (Holm)"),
    "Dunn's test (Bonferroni)": _t("Dunnin testi (Bonferroni)", "Dunns test (Bonferroni)"),
    "Dunn's test (Benjamini-Hochberg)": _t("Dunnin testi (Benjamini–Hochberg)", "Dunns test (Benjamini–Hochberg)"),
    "Holm's method": _t("Holmin menetelmä", "Holms metod"),
    "the Benjamini-Hochberg false discovery rate": _t("Benjamini–Hochbergin virheellisten löydösten osuus",
                                                      "Benjamini–Hochbergs andel falska upptäckter"),
    "the Bonferroni correction": _t("Bonferronin korjaus", "Bonferronikorrektion"),
    "no correction": _t("ei korjausta", "ingen korrektion"),
    "Total": _t("Yhteensä", "Totalt"), "System missing": _t("Järjestelmäpuuttuva", "Systemsaknat"),
    "No valid group": _t("Ei kelvollista ryhmää", "Ingen giltig grupp"),
    "All respondents": _t("Kaikki vastaajat", "Alla svarande"),
}

#: Sentences of the table notes (each looked up on its own).
SENTENCES = {
    "Missing answers (empty cells and user-missing codes such as don't know) are excluded item by item; n counts the "
    "valid answers.": _t("Puuttuvat vastaukset (tyhjät solut ja puuttuviksi koodatut, kuten en osaa sanoa) jätetään "
                         "pois osioittain; n on kelvollisten vastausten määrä.",
                         "Saknade svar (tomma celler och koder för saknade värden som vet inte) utesluts fråga för "
                         "fråga; n är antalet giltiga svar."),
    "Mdn, Q1 and Q3: the smallest values whose weighted share reaches 50%, 25% and 75%; SE and 95% CI of M: "
    "design-based (normal interval).": _t(
        "Md, Q1 ja Q3: pienimmät arvot, joiden painotettu osuus on vähintään 50 %, 25 % ja 75 %; ka:n kv ja 95 %:n "
        "lv: otanta-asetelmaan perustuvat (normaalijakaumaväli).",
        "Md, Q1 och Q3: de minsta värden vars vägda andel når 50 %, 25 % och 75 %; SE och 95 % KI för M: "
        "designbaserade (normalintervall)."),
    "95% CI: design-based (normal interval).": _t("95 %:n lv: otanta-asetelmaan perustuva (normaalijakaumaväli).",
                                                   "95 % KI: designbaserat (normalintervall)."),
    "Mdn, Q1 and Q3 are SPSS's weighted-average percentiles.": _t(
        "Md, Q1 ja Q3 ovat SPSS:n painotetun keskiarvon menetelmällä laskettuja persentiilejä.",
        "Md, Q1 och Q3 är percentiler enligt SPSS metod med vägt medelvärde."),
    "Skew., Kurt.: skewness and excess kurtosis (SPSS's formulas).": _t(
        "Vinous, huipukkuus: vinous ja ylihuipukkuus (SPSS:n kaavat).",
        "Snedhet, toppighet: snedhet och excess-toppighet (SPSS formler)."),
    "% agree: valid answers in the top two categories.": _t(
        "% samaa mieltä: kelvolliset vastaukset kahdessa ylimmässä luokassa.",
        "% instämmer: giltiga svar i de två högsta kategorierna."),
    "Cells show M (SD); n in the header is the group's number of respondents.": _t(
        "Soluissa ka (kh); otsikon n on ryhmän vastaajamäärä.",
        "Cellerna visar M (SD); n i rubriken är gruppens antal svarande."),
    "Missing answers are excluded item by item.": _t("Puuttuvat vastaukset jätetään pois osioittain.",
                                                     "Saknade svar utesluts fråga för fråga."),
    "Respondents the skip logic did not ask a question are left out of its table: % is of those asked.": _t(
        "Vastaajat, joilta kysymystä ei reitityksen vuoksi kysytty, eivät ole mukana sen taulukossa: % on niistä, "
        "joilta kysyttiin.",
        "Svarande som på grund av filtret inte fick frågan ingår inte i dess tabell: % är av dem som fick frågan."),
    "% of all respondents in the group; valid % and cumulative % of those with a valid answer (user-missing codes "
    "and empty answers are missing).": _t(
        "% kaikista ryhmän vastaajista; kelpaavat % ja kumulatiiviset % kelvollisen vastauksen antaneista "
        "(puuttuviksi koodatut ja tyhjät vastaukset ovat puuttuvia).",
        "% av alla svarande i gruppen; giltiga % och kumulativa % av dem med ett giltigt svar (koder för saknade "
        "värden och tomma svar räknas som saknade)."),
    "α: Cronbach's alpha with Feldt's 95% confidence interval; ω: McDonald's omega total (one factor, minimum "
    "residual; items loading negatively reversed, as psych::omega); mean r: mean inter-item correlation; sum M (SD): "
    "of the sum of the items.": _t(
        "α: Cronbachin alfa ja Feldtin 95 %:n luottamusväli; ω: McDonaldin kokonaisomega (yksi faktori, "
        "minimiresiduaalimenetelmä; negatiivisesti latautuvat osiot käännetty kuten psych::omega); r:n ka: osioiden "
        "välisten korrelaatioiden keskiarvo; summan ka (kh): osioiden summasta.",
        "α: Cronbachs alfa med Feldts 95-procentiga konfidensintervall; ω: McDonalds totala omega (en faktor, minsta "
        "residual; negativt laddande frågor vända, som psych::omega); medel-r: genomsnittlig korrelation mellan "
        "frågorna; summans M (SD): av summan av frågorna."),
    "Listwise: respondents who answered every item of the scale; reverse-keyed items recoded first.": _t(
        "Listittäin: vastaajat, jotka vastasivat mittarin kaikkiin osioihin; käänteiset osiot käännettiin ensin.",
        "Listvis: svarande som besvarade alla frågor i skalan; omvända frågor omkodades först."),
    "r (item-rest): corrected item-total correlation; α if deleted: alpha of the scale without the item.": _t(
        "r (osio–muut): korjattu osio–kokonaispistemäärä-korrelaatio; α ilman osiota: mittarin alfa ilman osiota.",
        "r (fråga–övriga): korrigerad fråga–totalpoäng-korrelation; α utan frågan: skalans alfa utan frågan."),
    "r (item-rest): corrected item-total correlation; α if deleted: alpha of the scale without the item; SMC: "
    "squared multiple correlation with the other items.": _t(
        "r (osio–muut): korjattu osio–kokonaispistemäärä-korrelaatio; α ilman osiota: mittarin alfa ilman osiota; "
        "SMC: neliöity yhteiskorrelaatio muiden osioiden kanssa.",
        "r (fråga–övriga): korrigerad fråga–totalpoäng-korrelation; α utan frågan: skalans alfa utan frågan; SMC: "
        "kvadrerad multipel korrelation med de övriga frågorna."),
    "Effect sizes with 95% confidence intervals in brackets.": _t(
        "Efektikokojen 95 %:n luottamusvälit hakasulkeissa.", "Effektstorlekar med 95-procentiga "
                                                              "konfidensintervall inom hakparentes."),
    "p-values are not adjusted for multiple testing.": _t("p-arvoja ei ole korjattu monivertailun vuoksi.",
                                                          "p-värdena är inte justerade för multipla test."),
    "Each test uses the respondents with a valid answer and a valid group (user-missing codes excluded).": _t(
        "Kussakin testissä ovat mukana vastaajat, joilla on kelvollinen vastaus ja kelvollinen ryhmä (puuttuviksi "
        "koodatut pois lukien).",
        "Varje test använder de svarande som har ett giltigt svar och en giltig grupp (koder för saknade värden "
        "utesluts)."),
    "Diff.: first group minus second.": _t("Ero: ensimmäinen ryhmä miinus toinen.", "Diff.: första gruppen minus "
                                                                                    "den andra."),
    "Mentioning a theme by group, among the respondents who answered the questions it applies to; effect size: "
    "Cramér's V.": _t("Teeman maininneet ryhmittäin niistä vastaajista, jotka vastasivat teeman kysymyksiin; "
                      "efektikoko: Cramérin V.",
                      "Andel som nämner ett tema per grupp, bland de svarande som besvarade frågorna temat gäller; "
                      "effektstorlek: Cramérs V."),
    "Mean scale scores of respondents mentioning the theme and of those answering without it; Welch's t test; effect "
    "size: Cohen's d.": _t("Teeman maininneiden ja sitä mainitsematta vastanneiden mittarien pistemäärien "
                           "keskiarvot; Welchin t-testi; efektikoko: Cohenin d.",
                           "Medelvärden av skalpoängen för svarande som nämner temat och för dem som svarat utan "
                           "det; Welchs t-test; effektstorlek: Cohens d."),
}

#: Sentences with a value in them: regular expression -> {language: template of its groups}.
PATTERNS = {
    r"Tests: (?P<tests>.+)\.": _t("Testit: {tests}.", "Test: {tests}."),
    r"p adj\.: p adjusted for the (?P<k>\d+) tests? with (?P<method>.+)\.": _t(
        "p korj.: p korjattu {k} testin osalta ({method}).", "p just.: p justerat för {k} test ({method})."),
    r"p adj\.: p adjusted across the themes with (?P<method>.+)\.": _t(
        "p korj.: p korjattu teemojen kesken ({method}).", "p just.: p justerat över teman ({method})."),
    r"Methods: (?P<methods>.+); p-values and intervals are adjusted for the comparisons within each variable\.": _t(
        "Menetelmät: {methods}; p-arvot ja luottamusvälit on korjattu kunkin muuttujan vertailujen osalta.",
        "Metoder: {methods}; p-värden och intervall är justerade för jämförelserna inom varje variabel."),
    r"p-values and intervals are adjusted for the comparisons within each variable\.": _t(
        "p-arvot ja luottamusvälit on korjattu kunkin muuttujan vertailujen osalta.",
        "p-värden och intervall är justerade för jämförelserna inom varje variabel."),
    r"\.\. = not shown to protect confidentiality: fewer than (?P<n>\d+) respondents, or a figure from which such a "
    r"cell could be worked out from the totals\.": _t(
        ".. = ei näytetä luottamuksellisuuden vuoksi: alle {n} vastaajaa, tai luku, josta tällainen solu voitaisiin "
        "laskea summista.",
        ".. = visas inte av sekretesskäl: färre än {n} svarande, eller ett tal ur vilket en sådan cell kunde räknas "
        "fram ur summorna."),
}

PATTERNS.update({
    r"% top box: valid answers in the top two categories of each item's answer scale \((?P<scales>.+)\)\.": _t(
        "% ylimmät luokat: kelvolliset vastaukset kunkin osion vastausasteikon kahdessa ylimmässä luokassa ({scales}).",
        "% högsta kategorierna: giltiga svar i de två högsta kategorierna på varje frågas svarsskala ({scales})."),
    r"% (?P<box>.+): valid answers in the top two categories\.": _t(
        "% {box}: kelvolliset vastaukset kahdessa ylimmässä luokassa.",
        "% {box}: giltiga svar i de två högsta kategorierna."),
    r"Weighted by (?P<var>.+?) \(frequency weights\); n is the sum of weights\.": _t(
        "Painotettu muuttujalla {var} (frekvenssipainot); n on painojen summa.",
        "Vägt med {var} (frekvensvikter); n är summan av vikterna."),
    r"Weighted by (?P<var>.+?) \(sampling weights\); standard errors and 95% confidence intervals by Taylor "
    r"linearisation \(with replacement, no strata or clusters\); n counts respondents, frequencies are sums of "
    r"weights\.": _t(
        "Painotettu muuttujalla {var} (otantapainot); keskivirheet ja 95 %:n luottamusvälit Taylorin "
        "linearisoinnilla (palauttaen, ei ositteita eikä ryppäitä); n on vastaajien määrä, frekvenssit ovat "
        "painojen summia.",
        "Vägt med {var} (urvalsvikter); standardfel och 95 % konfidensintervall med Taylorlinearisering (med "
        "återläggning, inga strata eller kluster); n räknar svarande, frekvenserna är summor av vikter."),
    r"(?P<k>[\d,]+) cases? with a missing, zero or negative weight (?:is|are) left out\.": _t(
        "{k} tapausta, joiden paino puuttuu tai on nolla tai negatiivinen, on jätetty pois.",
        "{k} fall med saknad vikt, vikten noll eller negativ vikt har lämnats utanför."),
})

#: What each kind of data problem means (the data check's summary table).
TERMS.update({
    "a column the questionnaire does not define (kept as it is)": _t(
        "sarake, jota kyselylomake ei määrittele (säilytetään sellaisenaan)",
        "en kolumn som enkäten inte definierar (behålls som den är)"),
    "a questionnaire variable with no column in the data": _t("kyselylomakkeen muuttuja, jolle ei ole saraketta "
                                                              "aineistossa", "en enkätvariabel utan kolumn i data"),
    "a code that is neither an answer option nor a missing code": _t(
        "koodi, joka ei ole vastausvaihtoehto eikä puuttuvan tiedon koodi",
        "en kod som varken är ett svarsalternativ eller en kod för saknat värde"),
    "a number below the question's min or above its max": _t(
        "luku, joka on kysymyksen pienintä arvoa pienempi tai suurinta suurempi",
        "ett tal under frågans minimum eller över dess maximum"),
    "a fraction where a whole number is asked": _t("desimaaliluku, vaikka kysytään kokonaislukua",
                                                   "ett decimaltal där ett heltal efterfrågas"),
    "text where a code or number is asked": _t("tekstiä, vaikka kysytään koodia tai lukua",
                                               "text där en kod eller ett tal efterfrågas"),
    "text that is not a date where a date is asked": _t("tekstiä, joka ei ole päivämäärä, vaikka kysytään "
                                                        "päivämäärää", "text som inte är ett datum där ett datum "
                                                                       "efterfrågas"),
    "an answer where the skip logic says the question was not asked (missing codes there are fine)": _t(
        "vastaus, vaikka hyppysääntöjen mukaan kysymystä ei kysytty (puuttuvan tiedon koodit sallitaan)",
        "ett svar där hoppreglerna säger att frågan inte ställdes (koder för saknade värden är tillåtna)"),
    "no answer to a required question that was asked": _t("ei vastausta pakolliseen kysymykseen, joka kysyttiin",
                                                          "inget svar på en obligatorisk fråga som ställdes"),
    "a row without a respondent id": _t("rivi ilman vastaajatunnusta", "en rad utan svarsidentitet"),
    "a respondent id used on more than one row": _t("vastaajatunnus useammalla kuin yhdellä rivillä",
                                                    "en svarsidentitet på mer än en rad"),
})

#: The provenance table's rows (keys) and its fixed values.
PROVENANCE = {
    "coprod": _t("coprod", "coprod"), "instrument": _t("kyselylomake", "enkät"),
    "input": _t("syöte", "indata"), "input SHA-256": _t("syötteen SHA-256", "indatas SHA-256"),
    "command": _t("komento", "kommando"), "date": _t("päivämäärä", "datum"),
    "software": _t("ohjelmistot", "programvara"), "small-cell threshold": _t("pienten solujen raja", "gräns för små celler"),
    "off": _t("ei käytössä", "av"), "none": _t("ei mitään", "ingen"),
    "(data given in memory)": _t("(aineisto annettu muistissa)", "(data givna i minnet)"),
}

#: The data check's details (its "Detail" column), matched whole; a condition or code list stays as it is.
DETAILS = {
    r"kept as it is": _t("säilytetään sellaisenaan", "behålls som den är"),
    r"expected 0 or 1": _t("sallitut arvot 0 tai 1", "tillåtna värden 0 eller 1"),
    r"expected (?P<lo>-?[\d.]*)\.\.(?P<hi>-?[\d.]*)": _t("sallittu väli {lo}..{hi}", "tillåtet intervall {lo}..{hi}"),
    r"expected (?P<codes>-?\d[-\d., ]*?) or missing (?P<miss>-?\d[-\d., ]*)": _t(
        "sallitut koodit {codes} tai puuttuvan tiedon koodit {miss}",
        "tillåtna koder {codes} eller koder för saknat värde {miss}"),
    r"expected (?P<codes>-?\d[-\d., ]*)": _t("sallitut koodit {codes}", "tillåtna koder {codes}"),
    r"expected a date such as (?P<a>\S+) or (?P<b>\S+)": _t("päivämäärä, kuten {a} tai {b}",
                                                             "ett datum som {a} eller {b}"),
    r"expected a finite number within (?P<m>\S+)": _t("äärellinen luku väliltä {m}", "ett ändligt tal inom {m}"),
    r"asked only if (?P<cond>.+)": _t("kysytään vain, jos {cond}", "ställs bara om {cond}"),
}


#: What a table's Note column says of one variable: regular expression -> {language: template}.
CELL_NOTES = {
    r"no valid data in (?P<groups>.+)": _t("ei kelvollisia vastauksia: {groups}", "inga giltiga svar: {groups}"),
    r"not asked of any respondent": _t("ei kysytty keneltäkään", "inte frågat någon"),
    r"not asked of (?P<groups>.+)": _t("ei kysytty: {groups}", "inte frågat: {groups}"),
    r"fewer than two valid answers in (?P<groups>.+) \(left out\)": _t(
        "alle kaksi kelvollista vastausta: {groups} (jätetty pois)",
        "färre än två giltiga svar: {groups} (utelämnade)"),
    r"fewer than two groups with data: no test": _t("alle kaksi ryhmää, joilla vastauksia: ei testiä",
                                                    "färre än två grupper med svar: inget test"),
    r"no variation: every valid answer is the same": _t("ei vaihtelua: kaikki kelvolliset vastaukset ovat samat",
                                                        "ingen variation: alla giltiga svar är lika"),
    r"no valid data": _t("ei kelvollisia vastauksia", "inga giltiga svar"),
    r"(?P<test>\S+) compares two groups": _t("{test} vertaa kahta ryhmää", "{test} jämför två grupper"),
    r"(?P<k>\d+) of (?P<n>\d+) expected counts under 5 \((?P<pct>\d+)%\)": _t(
        "{k}/{n} odotetusta frekvenssistä alle 5 ({pct} %)", "{k} av {n} förväntade frekvenser under 5 ({pct} %)"),
    r"Fisher's exact test needs a 2 x 2 table": _t("Fisherin tarkka testi vaatii 2 × 2 -taulukon",
                                                  "Fishers exakta test kräver en 2 × 2-tabell"),
    r"a group without variation: Welch's ANOVA is undefined": _t(
        "ryhmä ilman vaihtelua: Welchin varianssianalyysia ei ole määritelty",
        "en grupp utan variation: Welchs ANOVA är odefinierad"),
    r"a group without variation: no Games-Howell comparisons": _t(
        "ryhmä ilman vaihtelua: ei Games-Howell-vertailuja", "en grupp utan variation: inga Games-Howell-jämförelser"),
    r"no variation within groups: the groups differ but no test statistic is defined": _t(
        "ei vaihtelua ryhmien sisällä: ryhmät eroavat, mutta testisuuretta ei ole määritelty",
        "ingen variation inom grupperna: grupperna skiljer sig men ingen teststorhet är definierad"),
    r"not numeric: use the chi-square test": _t("ei numeerinen: käytä khiin neliö -testiä",
                                                "inte numerisk: använd chitvåtestet"),
    r"not tested: with case weights only the chi-square test of nominal variables is available": _t(
        "ei testattu: painotetuilla aineistoilla vain nominaalimuuttujien khiin neliö -testi on käytettävissä",
        "inte testad: med fallvikter finns bara chitvåtestet för nominala variabler"),
    # reliability
    r"a scale needs at least two items": _t("mittari tarvitsee vähintään kaksi osiota",
                                            "en skala behöver minst två frågor"),
    r"fewer than two respondents answered every item": _t("alle kaksi vastaajaa vastasi kaikkiin osioihin",
                                                          "färre än två svarande besvarade alla frågor"),
    r"no respondent answered every item": _t("kukaan vastaaja ei vastannut kaikkiin osioihin",
                                             "ingen svarande besvarade alla frågor"),
    r"no variation in (?P<items>.+)": _t("ei vaihtelua: {items}", "ingen variation: {items}"),
    r"the scale total has no variation": _t("mittarin summapistemäärässä ei ole vaihtelua",
                                            "skalans totalpoäng saknar variation"),
    r"only (?P<n>\d+) complete respondents for (?P<k>\d+) items": _t(
        "vain {n} vastaajaa vastasi kaikkiin {k} osioon", "bara {n} svarande med alla svar för {k} frågor"),
    r"omega needs at least three items": _t("omega vaatii vähintään kolme osiota", "omega kräver minst tre frågor"),
    r"the one-factor model could not be fitted": _t("yhden faktorin mallia ei voitu estimoida",
                                                    "enfaktormodellen kunde inte skattas"),
    r"omega with (?P<items>.+) reversed \(negative loading on the factor\)": _t(
        "omega, kun {items} käännetään (negatiivinen lataus faktorilla)",
        "omega med {items} omvända (negativ laddning på faktorn)"),
    r"Heywood case in the one-factor model \(a loading of 1 or more\)": _t(
        "Heywood-tapaus yhden faktorin mallissa (lataus 1 tai suurempi)",
        "Heywood-fall i enfaktormodellen (en laddning på 1 eller mer)"),
    # nonresponse
    r"fewer than two groups were asked: no test": _t("kysytty alle kahdelta ryhmältä: ei testiä",
                                                     "färre än två grupper tillfrågades: inget test"),
    r"everyone answered: no test": _t("kaikki vastasivat: ei testiä", "alla svarade: inget test"),
    r"nobody answered: no test": _t("kukaan ei vastannut: ei testiä", "ingen svarade: inget test"),
    r"no respondent with an answer": _t("ei yhtään vastaajaa, jolla on vastaus", "ingen svarande med svar"),
    r"one missing-data pattern: nothing to test": _t("vain yksi puuttuvuuden kuvio: ei testattavaa",
                                                     "bara ett mönster av saknade svar: inget att testa"),
    r"too few answers to estimate the covariance matrix": _t("liian vähän vastauksia kovarianssimatriisin estimointiin",
                                                             "för få svar för att skatta kovariansmatrisen"),
    r"the estimated covariance matrix is singular": _t("estimoitu kovarianssimatriisi on singulaarinen",
                                                       "den skattade kovariansmatrisen är singulär"),
    # ordinal regression
    r"no respondent of (?P<groups>.+) is in the model \(all missing on the outcome or a covariate\)": _t(
        "mallissa ei ole yhtään vastaajaa ryhmästä {groups} (kaikilta puuttuu tulosmuuttuja tai kovariaatti)",
        "ingen svarande i {groups} ingår i modellen (alla saknar utfallet eller en kovariat)"),
    r"some estimates grow without bound \(separation: a group or level whose answers all lie in the top or bottom "
    r"categories\?\) and are left empty": _t(
        "jotkin estimaatit kasvavat rajatta (separaatio: ryhmä tai taso, jonka kaikki vastaukset ovat ylimmissä tai "
        "alimmissa luokissa?) ja jätetään tyhjiksi",
        "vissa skattningar växer obegränsat (separation: en grupp eller nivå vars svar alla ligger i de översta eller "
        "nedersta kategorierna?) och lämnas tomma"),
    r"the model with threshold-specific effects could not be fitted \(a category too rare in some group\?\)": _t(
        "mallia, jossa vaikutukset vaihtelevat kynnysarvoittain, ei voitu estimoida (jokin luokka liian harvinainen "
        "jossain ryhmässä?)",
        "modellen med tröskelspecifika effekter kunde inte skattas (en kategori för sällsynt i någon grupp?)"),
    r"two categories: one threshold, nothing to test": _t("kaksi luokkaa: yksi kynnysarvo, ei testattavaa",
                                                          "två kategorier: en tröskel, inget att testa"),
}
