"""The words of the report's section on non-response, in English, Finnish and Swedish (merged into
:data:`coprod.analysis.report.words.PHRASES` and ``HEADERS``)."""
from __future__ import annotations

PHRASES = {
    "nr.heading": {"en": "Non-response", "fi": "Vastaamattomuus", "sv": "Bortfall"},
    "nr.intro": {
        "en": "Answers left out are information too. For each question, of the respondents it was asked (questions "
              "the skip logic left out are not counted): the share who answered “don't know” (DK) or “not "
              "applicable” (NA), refused, or left it empty.",
        "fi": "Myös vastaamatta jättäminen kertoo jotakin. Kunkin kysymyksen osalta niistä vastaajista, joilta se "
              "kysyttiin (ohitussääntöjen ohittamia kysymyksiä ei lasketa): osuus, joka vastasi ”en osaa sanoa” "
              "(eos) tai ”ei koske minua” (ek), kieltäytyi tai jätti vastauksen tyhjäksi.",
        "sv": "Även uteblivna svar säger något. För varje fråga, av de svarande som fick den (frågor som "
              "hoppvillkoren hoppade över räknas inte): andelen som svarade ”vet inte” (vi) eller ”gäller inte mig” "
              "(gi), vägrade eller lämnade den tom."},
    "nr.table": {"en": "Items whose non-response differs by {by}", "fi": "Osiot, joiden vastaamattomuus vaihtelee: {by}",
                 "sv": "Frågor vars bortfall skiljer sig: {by}"},
    "nr.table note": {
        "en": "%: of the respondents asked. Not answering (any of DK, NA, refused, empty) compared between the groups "
              "with Pearson's χ² test (Fisher's exact test when an expected count is under 5); p adjusted across the "
              "{k} items tested ({method}).",
        "fi": "%: niistä, joilta kysyttiin. Vastaamatta jättämistä (eos, ek, kieltäytyminen tai tyhjä) verrattiin "
              "ryhmien välillä Pearsonin χ²-testillä (Fisherin tarkalla testillä, kun odotettu frekvenssi on alle 5); "
              "p korjattu {k} testatun osion kesken ({method}).",
        "sv": "%: av dem som fick frågan. Uteblivet svar (vi, gi, vägran eller tomt) jämfördes mellan grupperna med "
              "Pearsons χ²-test (Fishers exakta test när en förväntad frekvens är under 5); p justerat över de {k} "
              "testade frågorna ({method})."},
    "nr.none differ": {
        "en": "After adjustment ({method}), non-response did not differ by group for any of the {k} items tested.",
        "fi": "Korjauksen ({method}) jälkeen vastaamattomuus ei eronnut ryhmittäin yhdessäkään {k} testatusta osiosta.",
        "sv": "Efter justering ({method}) skilde sig bortfallet inte mellan grupperna för någon av de {k} testade "
              "frågorna."},
    "nr.differ": {
        "en": "After adjustment ({method}), non-response differed by group for {n} of the {k} items tested: {items}.",
        "fi": "Korjauksen ({method}) jälkeen vastaamattomuus erosi ryhmittäin {n} osiossa {k} testatusta: {items}.",
        "sv": "Efter justering ({method}) skilde sig bortfallet mellan grupperna för {n} av de {k} testade frågorna: "
              "{items}."},
    "nr.item": {"en": "{item} (most among {high}, {hi}%; least among {low}, {lo}%)",
                "fi": "{item} (eniten: {high}, {hi} %; vähiten: {low}, {lo} %)",
                "sv": "{item} (mest: {high}, {hi} %; minst: {low}, {lo} %)"},
    "nr.chart caption": {"en": "Non-response by group: the items that differ (% of the respondents asked)",
                         "fi": "Vastaamattomuus ryhmittäin: osiot, joissa ryhmät eroavat (% niistä, joilta kysyttiin)",
                         "sv": "Bortfall per grupp: frågorna där grupperna skiljer sig (% av dem som fick frågan)"},
    "nr.legend dont_know": {"en": "Don't know", "fi": "En osaa sanoa", "sv": "Vet inte"},
    "nr.legend not_applicable": {"en": "Not applicable", "fi": "Ei koske minua", "sv": "Gäller inte mig"},
    "nr.legend refused": {"en": "Refused", "fi": "Kieltäytyi", "sv": "Vägrade"},
    "nr.legend missing": {"en": "Empty", "fi": "Tyhjä", "sv": "Tomt"},
    "nr.breakoff table": {"en": "Break-off", "fi": "Vastaamisen keskeyttäminen", "sv": "Avbrutna svar"},
    "nr.breakoff note": {
        "en": "Broke off: after the last closed question answered (a DK or NA counts as an answer) every question asked "
              "was left empty. Position: of that question, in questionnaire order, of {m}.",
        "fi": "Keskeytti: viimeisen vastatun suljetun kysymyksen (eos tai ek lasketaan vastaukseksi) jälkeen kaikki "
              "kysytyt kysymykset jäivät tyhjiksi. Sijainti: tuon kysymyksen järjestysnumero lomakkeella ({m} "
              "kysymystä).",
        "sv": "Avbröt: efter den sista besvarade slutna frågan (vi eller gi räknas som svar) lämnades alla frågor som "
              "ställdes tomma. Position: den frågans nummer i formuläret (av {m})."},
    "nr.breakoff": {"en": "{n} respondents ({pct}%) stopped before the end of the questionnaire.",
                    "fi": "{n} vastaajaa ({pct} %) lopetti ennen lomakkeen loppua.",
                    "sv": "{n} svarande ({pct} %) slutade före formulärets slut."},
    "nr.no breakoff": {"en": "No respondent stopped before the end of the questionnaire.",
                       "fi": "Kukaan vastaaja ei lopettanut ennen lomakkeen loppua.",
                       "sv": "Ingen svarande slutade före formulärets slut."},
    "nr.mcar table": {"en": "Little's MCAR test of the scales", "fi": "Littlen MCAR-testi mittareittain",
                      "sv": "Littles MCAR-test per skala"},
    "nr.mcar note": {
        "en": "Respondents asked the scale with at least one answer to it; means and covariances by maximum likelihood "
              "(EM). A small p: the missing answers are not missing completely at random (MCAR), they depend on "
              "something, such as other answers.",
        "fi": "Vastaajat, joilta mittari kysyttiin ja jotka vastasivat ainakin yhteen sen osioon; keskiarvot ja "
              "kovarianssit suurimman uskottavuuden menetelmällä (EM). Pieni p: puuttuvat vastaukset eivät puutu "
              "täysin satunnaisesti (MCAR), vaan riippuvat jostakin, kuten muista vastauksista.",
        "sv": "Svarande som fick skalan och besvarade minst en av dess frågor; medelvärden och kovarianser med "
              "maximum likelihood (EM). Ett litet p: de saknade svaren saknas inte helt slumpmässigt (MCAR), utan "
              "beror på något, till exempel andra svar."},
    "nr.not mcar": {"en": "The missing answers are not completely at random (Little's test, p < .05) for: {scales}.",
                    "fi": "Puuttuvat vastaukset eivät ole täysin satunnaisia (Littlen testi, p < .05): {scales}.",
                    "sv": "De saknade svaren är inte helt slumpmässiga (Littles test, p < .05) för: {scales}."},
    "nr.mcar ok": {"en": "For every scale tested, Little's test does not reject that the missing answers are missing "
                         "completely at random (p ≥ .05).",
                   "fi": "Littlen testi ei hylkää yhdenkään testatun mittarin kohdalla sitä, että puuttuvat vastaukset "
                         "puuttuvat täysin satunnaisesti (p ≥ .05).",
                   "sv": "För varje testad skala förkastar Littles test inte att de saknade svaren saknas helt "
                         "slumpmässigt (p ≥ .05)."},
    "nr.methods": {
        "en": "Non-response was counted of the respondents asked each question (skip logic taken into account), "
              "separately for “don't know”, “not applicable”, refused and empty answers; whether the missing answers "
              "of each scale were missing completely at random was tested with Little's (1988) test.",
        "fi": "Vastaamattomuus laskettiin niistä vastaajista, joilta kukin kysymys kysyttiin (ohitussäännöt "
              "huomioiden), erikseen vastauksille ”en osaa sanoa”, ”ei koske minua”, kieltäytymisille ja tyhjille; "
              "sitä, puuttuvatko kunkin mittarin vastaukset täysin satunnaisesti, testattiin Littlen (1988) testillä.",
        "sv": "Bortfallet räknades av de svarande som fick varje fråga (med hänsyn till hoppvillkoren), separat för "
              "”vet inte”, ”gäller inte mig”, vägran och tomma svar; om de saknade svaren för varje skala saknades "
              "helt slumpmässigt testades med Littles (1988) test."},
    "nr.methods tests": {
        "en": " Whether not answering differed between the groups was tested per item with Pearson's χ² test "
              "(Fisher's exact test when an expected count was under 5), p adjusted across the items ({method}).",
        "fi": " Sitä, erosiko vastaamatta jättäminen ryhmien välillä, testattiin osioittain Pearsonin χ²-testillä "
              "(Fisherin tarkalla testillä, kun odotettu frekvenssi oli alle 5), p korjattuna osioiden kesken "
              "({method}).",
        "sv": " Om uteblivna svar skilde sig mellan grupperna testades per fråga med Pearsons χ²-test (Fishers exakta "
              "test när en förväntad frekvens var under 5), p justerat över frågorna ({method})."},
}

#: Column headers of the section's tables (English header -> {language: header}).
HEADERS = {
    "Asked": {"fi": "Kysyttiin", "sv": "Fick frågan"},
    "% DK": {"fi": "% eos", "sv": "% vi"},
    "% NA": {"fi": "% ek", "sv": "% gi"},
    "% refused": {"fi": "% kieltäytyi", "sv": "% vägrade"},
    "% empty": {"fi": "% tyhjä", "sv": "% tomt"},
    "% no answer": {"fi": "% ei vastausta", "sv": "% utan svar"},
    "Completed": {"fi": "Loppuun", "sv": "Fullföljde"},
    "Broke off": {"fi": "Keskeytti", "sv": "Avbröt"},
    "No answers": {"fi": "Ei vastauksia", "sv": "Inga svar"},
    "% broke off": {"fi": "% keskeytti", "sv": "% avbröt"},
    "Mdn position": {"fi": "Sijainnin Md", "sv": "Positionens Md"},
    "Questions": {"fi": "Kysymyksiä", "sv": "Frågor"},
    "Patterns": {"fi": "Puuttumismalleja", "sv": "Bortfallsmönster"},
}
