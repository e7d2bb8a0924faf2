"""The coding workbook's own words in English, Finnish and Swedish: sheet names, column headers,
instructions and the messages of its data validation.

The same form as the other catalogues (:mod:`coprod.instrument.words`, the report's words): a table of
{key: {language: text}}, English where a language has no words of its own. The workbook records the
names it gave its sheet and columns, so that the import reads a workbook in any language.
"""
from __future__ import annotations

from coprod.instrument.words import localised

#: Names of the sheets and of the fixed columns (answers sheet, then codebook sheet), by language.
NAMES = {
    "answers": {"en": "answers", "fi": "vastaukset", "sv": "svar"},
    "codebook": {"en": "codebook", "fi": "koodikirja", "sv": "kodbok"},
    "instructions": {"en": "instructions", "fi": "ohjeet", "sv": "instruktioner"},
    "key": {"en": "key", "fi": "avain", "sv": "nyckel"},
    "group": {"en": "group", "fi": "ryhmä", "sv": "grupp"},
    "question": {"en": "question", "fi": "kysymys", "sv": "fråga"},
    "answer": {"en": "answer", "fi": "vastaus", "sv": "svar"},
    "quote": {"en": "quote", "fi": "lainaus", "sv": "citat"},
    "notes": {"en": "notes", "fi": "muistiinpanot", "sv": "anteckningar"},
    "code": {"en": "code", "fi": "koodi", "sv": "kod"},
    "label": {"en": "label", "fi": "nimike", "sv": "etikett"},
    "parent": {"en": "parent", "fi": "yläteema", "sv": "överordnat tema"},
    "description": {"en": "description", "fi": "kuvaus", "sv": "beskrivning"},
    "questions": {"en": "questions", "fi": "kysymykset", "sv": "frågor"},
}

#: The instructions sheet, one line each; ``{quote}`` and ``{notes}`` are the columns' names.
INSTRUCTIONS = {
    "code": {"en": "Code each answer: 1 = the theme is present in the answer, 0 or empty = it is not.",
             "fi": "Koodaa jokainen vastaus: 1 = teema esiintyy vastauksessa, 0 tai tyhjä = ei esiinny.",
             "sv": "Koda varje svar: 1 = temat finns i svaret, 0 eller tomt = det finns inte."},
    "empty": {"en": "A row where every theme cell and the {quote} cell are empty counts as not coded: mark 0 where "
                    "no theme is present.",
              "fi": "Rivi, jonka kaikki teemasolut ja {quote}-solu ovat tyhjiä, lasketaan koodaamattomaksi: merkitse "
                    "0, jos mitään teemaa ei esiinny.",
              "sv": "En rad där alla temaceller och cellen {quote} är tomma räknas som inte kodad: skriv 0 där inget "
                    "tema finns."},
    "grey": {"en": "Grey cells: the theme does not apply to that question.",
             "fi": "Harmaat solut: teema ei koske kyseistä kysymystä.",
             "sv": "Grå celler: temat gäller inte den frågan."},
    "quote": {"en": "{quote}: 1 = the answer (or a part of it) could be quoted; write the part to quote in {notes} "
                    "if not all.",
              "fi": "{quote}: 1 = vastausta (tai sen osaa) voi lainata; kirjoita lainattava osa sarakkeeseen "
                    "{notes}, jos koko vastausta ei lainata.",
              "sv": "{quote}: 1 = svaret (eller en del av det) kan citeras; skriv delen som ska citeras i {notes} "
                    "om inte hela svaret ska citeras."},
    "notes": {"en": "{notes}: anything for the reconciliation or the analysis.",
              "fi": "{notes}: mitä tahansa koodausten yhteensovittamista tai analyysia varten.",
              "sv": "{notes}: vad som helst för avstämningen av kodningarna eller för analysen."},
    "keep": {"en": "Do not change the keys, the questions or the answers' text, and do not add or remove rows:",
             "fi": "Älä muuta avaimia, kysymyksiä tai vastausten tekstiä äläkä lisää tai poista rivejä:",
             "sv": "Ändra inte nycklarna, frågorna eller svarens text, och lägg inte till eller ta bort rader:"},
    "checked": {"en": "the import checks them. Add a theme only after agreeing it with the team (a new column is "
                      "reported).",
                "fi": "tuonti tarkistaa ne. Lisää teema vasta, kun siitä on sovittu ryhmän kanssa (uusi sarake "
                      "raportoidaan).",
                "sv": "importen kontrollerar dem. Lägg till ett tema först när teamet har kommit överens om det (en "
                      "ny kolumn rapporteras)."},
    "confidential": {"en": "The workbook holds respondents' own words: keep it as confidential as the data.",
                     "fi": "Työkirjassa on vastaajien omia sanoja: käsittele sitä yhtä luottamuksellisesti kuin "
                           "aineistoa.",
                     "sv": "Arbetsboken innehåller svarandenas egna ord: hantera den lika konfidentiellt som data."},
}

#: Other phrases: the coder and blind lines, the data validation's titles and messages.
PHRASES = {
    "coder": {"en": "coder: {coder}", "fi": "koodaaja: {coder}", "sv": "kodare: {coder}"},
    "blind": {"en": "blind: the respondent group is not shown", "fi": "sokkona: vastaajaryhmää ei näytetä",
              "sv": "blind: svarandegruppen visas inte"},
    "yes title": {"en": "0 or 1", "fi": "0 tai 1", "sv": "0 eller 1"},
    "yes error": {"en": "1 = present, 0 or empty = not present", "fi": "1 = esiintyy, 0 tai tyhjä = ei esiinny",
                  "sv": "1 = finns, 0 eller tomt = finns inte"},
    "no title": {"en": "Does not apply", "fi": "Ei koske", "sv": "Gäller inte"},
    "no error": {"en": "This theme does not apply to this question.", "fi": "Tämä teema ei koske tätä kysymystä.",
                 "sv": "Det här temat gäller inte den här frågan."},
}


def name(key: str, lang: str) -> str:
    """A sheet's or fixed column's name in ``lang``.

    >>> name("answers", "fi"), name("notes", "sv"), name("quote", "de")
    ('vastaukset', 'anteckningar', 'quote')
    """
    return localised(NAMES, key, lang)


def say(key: str, lang: str, **values) -> str:
    """A phrase of the workbook in ``lang`` with ``values`` filled in.

    >>> say("coder", "sv", coder="anna")
    'kodare: anna'
    """
    return localised(PHRASES, key, lang, **values)


def instructions(lang: str) -> list[str]:
    """The lines of the instructions sheet in ``lang``, naming the columns as the workbook does."""
    cols = {"quote": name("quote", lang), "notes": name("notes", lang)}
    return [localised(INSTRUCTIONS, key, lang, **cols) for key in INSTRUCTIONS]
