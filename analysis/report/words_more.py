"""The report's own words in English, Finnish and Swedish (continued from :mod:`.words`): the methods
paragraph, the headings, table titles and column headers, figure captions and the fixed table notes.

``METHODS`` and ``REPORT`` are phrases by key (``{name}`` fills in a value); ``TEXTS`` maps an English
header, title or note as the render layer writes it to its Finnish and Swedish forms, so the report can
put a finished table into its language (:func:`coprod.analysis.report.words.localise`).
"""
from __future__ import annotations

#: The methods paragraph: key -> {language: text}.
METHODS = {
    "m.and": {"en": " and ", "fi": " ja ", "sv": " och "},
    "m.sample": {"en": "The analysis included {n} respondents.", "fi": "Analyysiin sisältyi {n} vastaajaa.",
                 "sv": "Analysen omfattade {n} svarande."},
    "m.sample groups": {"en": "The analysis included {n} respondents in {k} groups by {by}: {groups}",
                        "fi": "Analyysiin sisältyi {n} vastaajaa {k} ryhmässä (ryhmittely: {by}): {groups}",
                        "sv": "Analysen omfattade {n} svarande i {k} grupper efter {by}: {groups}"},
    "m.no group": {"en": "; {n} without a valid group answer were left out of the group comparisons",
                   "fi": "; {n} vastaajaa ilman kelvollista ryhmätietoa jätettiin ryhmävertailujen ulkopuolelle",
                   "sv": "; {n} svarande utan giltigt gruppsvar lämnades utanför gruppjämförelserna"},
    "m.validated": {"en": "Responses were checked against the questionnaire definition (answer codes, ranges and skip "
                          "logic); values that failed the check were treated as missing.",
                    "fi": "Vastaukset tarkistettiin kyselylomakkeen määrittelyä vasten (vastauskoodit, vaihteluvälit ja "
                          "hyppysäännöt); tarkistuksessa hylätyt arvot käsiteltiin puuttuvina.",
                    "sv": "Svaren kontrollerades mot enkätens definition (svarskoder, intervall och hoppregler); "
                          "värden som inte klarade kontrollen behandlades som saknade."},
    "m.missing codes": {"en": "Answers coded as missing (such as \"don't know\" and \"not applicable\") were treated "
                              "as missing values.",
                        "fi": "Puuttuviksi koodatut vastaukset (kuten \"en osaa sanoa\" ja \"ei koske minua\") "
                              "käsiteltiin puuttuvina arvoina.",
                        "sv": "Svar kodade som saknade (till exempel \"vet inte\" och \"ej tillämpligt\") behandlades "
                              "som saknade värden."},
    "m.rule some": {"en": "at least {k} of {m} items", "fi": "vähintään {k}/{m} osiota",
                    "sv": "minst {k} av {m} frågor"},
    "m.rule one": {"en": "at least one item", "fi": "vähintään yksi osio", "sv": "minst en fråga"},
    "m.items": {"en": "{m} items", "fi": "{m} osiota", "sv": "{m} frågor"},
    "m.reverse": {"en": ", {k} reverse-keyed", "fi": ", joista {k} käänteisiä", "sv": ", varav {k} omvända"},
    "m.reverse one": {"en": ", 1 reverse-keyed", "fi": ", joista 1 käänteinen", "sv": ", varav 1 omvänd"},
    "m.scores mean": {"en": "Scale scores were the mean of the items, computed when a respondent answered enough "
                            "items: {parts}.",
                      "fi": "Mittarin pistemäärä oli osioiden keskiarvo, joka laskettiin, kun vastaaja oli vastannut "
                            "riittävän moneen osioon: {parts}.",
                      "sv": "Skalpoängen var medelvärdet av frågorna, beräknat när en svarande hade besvarat "
                            "tillräckligt många frågor: {parts}."},
    "m.scores mean or sum": {"en": "Scale scores were the mean or sum of the items, computed when a respondent "
                                   "answered enough items: {parts}.",
                             "fi": "Mittarin pistemäärä oli osioiden keskiarvo tai summa, joka laskettiin, kun "
                                   "vastaaja oli vastannut riittävän moneen osioon: {parts}.",
                             "sv": "Skalpoängen var medelvärdet eller summan av frågorna, beräknad när en svarande "
                                   "hade besvarat tillräckligt många frågor: {parts}."},
    "m.reliability": {"en": "Internal consistency was estimated with Cronbach's α (with Feldt's 95% confidence "
                            "interval) and McDonald's ω (one-factor model, minimum residual), from the respondents "
                            "who answered every item of the scale.",
                      "fi": "Sisäistä johdonmukaisuutta arvioitiin Cronbachin α-kertoimella (Feldtin 95 %:n "
                            "luottamusväli) ja McDonaldin ω-kertoimella (yhden faktorin malli, minimiresiduaalimenetelmä) "
                            "niiden vastaajien osalta, jotka vastasivat mittarin kaikkiin osioihin.",
                      "sv": "Den interna konsistensen skattades med Cronbachs α (med Feldts 95-procentiga "
                            "konfidensintervall) och McDonalds ω (enfaktormodell, minsta residual) utifrån de svarande "
                            "som besvarade alla frågor i skalan."},
    "m.test count": {"en": " ({k} variables)", "fi": " ({k} muuttujaa)", "sv": " ({k} variabler)"},
    "m.test count one": {"en": " (1 variable)", "fi": " (1 muuttuja)", "sv": " (1 variabel)"},
    "m.compared": {"en": "Groups were compared with {tests}.", "fi": "Ryhmiä verrattiin seuraavasti: {tests}.",
                   "sv": "Grupperna jämfördes med {tests}."},
    "m.compared effects": {"en": "Groups were compared with {tests}; effect sizes ({effects}) are reported with 95% "
                                 "confidence intervals.",
                           "fi": "Ryhmiä verrattiin seuraavasti: {tests}; efektikoot ({effects}) raportoidaan 95 %:n "
                                 "luottamusväleineen.",
                           "sv": "Grupperna jämfördes med {tests}; effektstorlekar ({effects}) redovisas med "
                                 "95-procentiga konfidensintervall."},
    "m.levene": {"en": "Homogeneity of variances was checked with Levene's test (mean-centred).",
                 "fi": "Varianssien yhtäsuuruus tarkistettiin Levenen testillä (keskiarvoon keskitetty).",
                 "sv": "Variansernas homogenitet kontrollerades med Levenes test (medelvärdescentrerat)."},
    "m.posthoc": {"en": "Pairwise post hoc comparisons used {methods}.",
                  "fi": "Parittaisissa post hoc -vertailuissa käytettiin menetelmää {methods}.",
                  "sv": "Parvisa post hoc-jämförelser gjordes med {methods}."},
    "m.adjusted": {"en": "p-values of the {k} group comparisons were adjusted for multiple testing with {method}.",
                   "fi": "{k} ryhmävertailun p-arvot korjattiin monivertailun vuoksi ({method}).",
                   "sv": "p-värdena för de {k} gruppjämförelserna justerades för multipla test ({method})."},
    "m.not adjusted": {"en": "p-values were not adjusted for multiple testing.",
                       "fi": "p-arvoja ei korjattu monivertailun vuoksi.",
                       "sv": "p-värdena justerades inte för multipla test."},
    "m.listwise": {"en": "Missing data were handled listwise (only respondents with valid answers to every compared "
                         "variable).",
                   "fi": "Puuttuvat tiedot käsiteltiin listittäin (mukana vain vastaajat, joilla on kelvollinen "
                         "vastaus kaikkiin verrattuihin muuttujiin).",
                   "sv": "Saknade data hanterades listvis (endast svarande med giltiga svar på alla jämförda "
                         "variabler)."},
    "m.pairwise": {"en": "Missing data were handled pairwise: each analysis used every respondent with valid values on "
                         "the variables it involved.",
                   "fi": "Puuttuvat tiedot käsiteltiin pareittain: kussakin analyysissa käytettiin kaikkia vastaajia, "
                         "joilla oli kelvolliset arvot analyysin muuttujissa.",
                   "sv": "Saknade data hanterades parvis: varje analys använde alla svarande med giltiga värden på de "
                         "variabler den omfattade."},
    "m.suppressed": {"en": "To protect confidentiality, figures resting on fewer than {k} respondents were suppressed, "
                           "together with the figures from which they could be worked out.",
                     "fi": "Luottamuksellisuuden suojaamiseksi alle {k} vastaajaan perustuvat luvut jätettiin "
                           "näyttämättä, samoin luvut, joista ne olisi voitu laskea.",
                     "sv": "Av sekretesskäl visades inte tal som bygger på färre än {k} svarande, inte heller de tal "
                           "ur vilka de kunde räknas fram."},
    "m.weighted frequency": {
        "en": "Results were weighted by {var} as frequency weights (each respondent counts as many times as the weight, "
              "as SPSS WEIGHT BY): n and counts are sums of weights.",
        "fi": "Tulokset painotettiin muuttujalla {var} frekvenssipainoina (kukin vastaaja lasketaan painonsa verran "
              "kertoja, kuten SPSS:n WEIGHT BY): n ja lukumäärät ovat painojen summia.",
        "sv": "Resultaten vägdes med {var} som frekvensvikter (varje svarande räknas lika många gånger som vikten, som "
              "SPSS WEIGHT BY): n och antal är summor av vikter."},
    "m.weighted sampling": {
        "en": "Results were weighted by {var} as sampling weights; standard errors and 95% confidence intervals of "
              "means and proportions were estimated by Taylor linearisation (a single-stage design with replacement, "
              "without strata or clusters, as in R's survey package); n counts respondents.",
        "fi": "Tulokset painotettiin muuttujalla {var} otantapainoina; keskiarvojen ja osuuksien keskivirheet ja 95 "
              "%:n luottamusvälit estimoitiin Taylorin linearisoinnilla (yksivaiheinen otanta palauttaen, ilman "
              "ositteita ja ryppäitä, kuten R:n survey-paketissa); n on vastaajien määrä.",
        "sv": "Resultaten vägdes med {var} som urvalsvikter; standardfel och 95 % konfidensintervall för medelvärden "
              "och andelar skattades med Taylorlinearisering (ett enstegsurval med återläggning, utan strata och "
              "kluster, som i R:s paket survey); n räknar svarande."},
    "m.weight left out": {
        "en": "{k} respondents with a missing, zero or negative weight were left out.",
        "fi": "{k} vastaajaa, joiden paino puuttui tai oli nolla tai negatiivinen, jätettiin pois.",
        "sv": "{k} svarande med saknad vikt, vikten noll eller negativ vikt lämnades utanför."},
    "m.weight left out one": {
        "en": "One respondent with a missing, zero or negative weight was left out.",
        "fi": "Yksi vastaaja, jonka paino puuttui tai oli nolla tai negatiivinen, jätettiin pois.",
        "sv": "En svarande med saknad vikt, vikten noll eller negativ vikt lämnades utanför."},
    "m.weighted not run": {
        "en": "The group comparisons and factor analyses have no weighted form here and were not run; the charts show "
              "unweighted answers.",
        "fi": "Ryhmävertailuille ja faktorianalyyseille ei ole tässä painotettua muotoa, joten niitä ei tehty; "
              "kuviot näyttävät painottamattomat vastaukset.",
        "sv": "Gruppjämförelserna och faktoranalyserna har ingen vägd form här och gjordes inte; diagrammen visar "
              "ovägda svar."},
    "m.weighted charts": {
        "en": "The charts show unweighted answers.",
        "fi": "Kuviot näyttävät painottamattomat vastaukset.",
        "sv": "Diagrammen visar ovägda svar."},
    "m.software": {"en": "Analyses were run with coprod {coprod} (Python {python}; pandas {pandas}, SciPy {scipy}, "
                         "statsmodels {statsmodels}).",
                   "fi": "Analyysit tehtiin coprod-ohjelmiston versiolla {coprod} (Python {python}; pandas {pandas}, "
                         "SciPy {scipy}, statsmodels {statsmodels}).",
                   "sv": "Analyserna gjordes med coprod {coprod} (Python {python}; pandas {pandas}, SciPy {scipy}, "
                         "statsmodels {statsmodels})."},
}

#: Headings, titles and captions the report writes itself: key -> {language: text}.
REPORT = {
    "r.report": {"en": "Report", "fi": "Raportti", "sv": "Rapport"},
    "r.report of": {"en": "Report: {title}", "fi": "Raportti: {title}", "sv": "Rapport: {title}"},
    "r.report by": {"en": "Report by {by}", "fi": "Raportti ryhmittäin: {by}", "sv": "Rapport efter {by}"},
    "r.sample": {"en": "Sample", "fi": "Aineisto", "sv": "Urval"},
    "r.respondents": {"en": "Respondents", "fi": "Vastaajat", "sv": "Svarande"},
    "r.respondents by": {"en": "Respondents by {by}", "fi": "Vastaajat ryhmittäin: {by}", "sv": "Svarande efter {by}"},
    "r.methods": {"en": "Methods", "fi": "Menetelmät", "sv": "Metod"},
    "r.data check": {"en": "Data check", "fi": "Aineiston tarkistus", "sv": "Datakontroll"},
    "r.reliability": {"en": "Reliability", "fi": "Reliabiliteetti", "sv": "Reliabilitet"},
    "r.items": {"en": "Items", "fi": "Osiot", "sv": "Frågor"},
    "r.items by group": {"en": "Items by group", "fi": "Osiot ryhmittäin", "sv": "Frågor per grupp"},
    "r.frequencies": {"en": "Frequencies", "fi": "Frekvenssit", "sv": "Frekvenser"},
    "r.categorical": {"en": "Categorical questions", "fi": "Luokitteluasteikolliset kysymykset",
                      "sv": "Kategoriska frågor"},
    "r.categorical by group": {"en": "Categorical questions by group",
                               "fi": "Luokitteluasteikolliset kysymykset ryhmittäin",
                               "sv": "Kategoriska frågor per grupp"},
    "r.scores": {"en": "Scale scores", "fi": "Mittarien pistemäärät", "sv": "Skalpoäng"},
    "r.scores by group": {"en": "Scale scores by group", "fi": "Mittarien pistemäärät ryhmittäin",
                          "sv": "Skalpoäng per grupp"},
    "r.scores by group msd": {"en": "Scale scores by group, M (SD)", "fi": "Mittarien pistemäärät ryhmittäin, ka (kh)",
                              "sv": "Skalpoäng per grupp, M (SD)"},
    "r.comparisons": {"en": "Group comparisons", "fi": "Ryhmävertailut", "sv": "Gruppjämförelser"},
    "r.comparisons scales": {"en": "Group comparisons of the scale scores",
                             "fi": "Mittarien pistemäärien ryhmävertailut", "sv": "Gruppjämförelser av skalpoängen"},
    "r.no problems": {"en": "No problems found: every answer is a valid code or number and follows the skip logic.",
                      "fi": "Ongelmia ei löytynyt: jokainen vastaus on kelvollinen koodi tai luku ja noudattaa "
                            "hyppysääntöjä.",
                      "sv": "Inga problem hittades: varje svar är en giltig kod eller ett giltigt tal och följer "
                            "hoppreglerna."},
    "r.problems found": {"en": "Problems found in the data", "fi": "Aineistosta löytyneet ongelmat",
                         "sv": "Problem i data"},
    "r.problems": {"en": "Problems", "fi": "Ongelmat", "sv": "Problem"},
    "r.problems 50": {"en": "Problems, first 50", "fi": "Ongelmat, 50 ensimmäistä", "sv": "Problem, de 50 första"},
    "r.rows note": {"en": "Rows are data rows of the input file (the first row after the header is 1). Values that "
                          "failed the check are treated as missing in every statistic of this report.",
                    "fi": "Rivit ovat syöttötiedoston datarivejä (otsikkorivin jälkeinen rivi on 1). Tarkistuksessa "
                          "hylätyt arvot käsitellään puuttuvina tämän raportin kaikissa tunnusluvuissa.",
                    "sv": "Raderna är datarader i indatafilen (första raden efter rubrikraden är 1). Värden som inte "
                          "klarade kontrollen behandlas som saknade i alla mått i denna rapport."},
    "r.box caption": {"en": "{title}. Boxes: quartiles; line: median; diamond: mean; whiskers: most "
                            "extreme scores within 1.5 interquartile ranges; outliers not drawn.",
                      "fi": "{title}. Laatikot: kvartiilit; viiva: mediaani; salmiakki: keskiarvo; "
                            "viikset: äärimmäiset pistemäärät 1.5 kvartiilivälin sisällä; poikkeavia havaintoja ei "
                            "piirretty.",
                      "sv": "{title}. Lådor: kvartiler; linje: median; romb: medelvärde; morrhår: de mest "
                            "extrema poängen inom 1.5 kvartilavstånd; extremvärden ritas inte."},
    "r.likert": {"en": "Percent of valid answers{per}; disagreeing answers left of the centre line, agreeing "
                       "right{middle}. Missing answers (not counted): {parts}.",
                 "fi": "Prosenttia kelvollisista vastauksista{per}; eri mieltä olevat vastaukset keskiviivan "
                       "vasemmalla puolella, samaa mieltä olevat oikealla{middle}. Puuttuvat vastaukset (ei "
                       "laskettu): {parts}.",
                 "sv": "Procent av giltiga svar{per}; svar som inte instämmer till vänster om mittlinjen, svar "
                       "som instämmer till höger{middle}. Saknade svar (räknas inte): {parts}."},
    "r.likert per": {"en": " per group", "fi": " ryhmittäin", "sv": " per grupp"},
    "r.likert middle": {"en": ", the middle answer split across it", "fi": ", keskimmäinen vastaus jaettuna sen "
                                                                          "molemmin puolin",
                        "sv": ", mittensvaret delat på båda sidor"},
    "r.likert silent": {"en": " No answers from {groups} (not asked).", "fi": " Ei vastauksia: {groups} (ei kysytty).",
                        "sv": " Inga svar från {groups} (fick inte frågan)."},
    "m.fewer": {"en": "fewer than {k}", "fi": "alle {k}", "sv": "färre än {k}"},
    "r.all": {"en": "All respondents", "fi": "Kaikki vastaajat", "sv": "Alla svarande"},
    "r.no valid group": {"en": "No valid group", "fi": "Ei kelvollista ryhmää", "sv": "Ingen giltig grupp"},
    "r.other items": {"en": "Other items", "fi": "Muut osiot", "sv": "Övriga frågor"},
    "r.listwise rule": {"en": "Listwise: respondents with valid answers to every compared variable.",
                        "fi": "Listittäin: vastaajat, joilla on kelvollinen vastaus kaikkiin verrattuihin muuttujiin.",
                        "sv": "Listvis: svarande med giltiga svar på alla jämförda variabler."},
}
