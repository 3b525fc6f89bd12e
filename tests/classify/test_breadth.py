"""Breadth of wording: the core actions, objects and moods of every intent, per language.

Each case is a short request written for this file from knowledge of the language (none comes
from a corpus): the first intent named is the main one, the rest must be reported beside it.
Negatives use the same words in IT work, business mail or thanks and must stay where they are.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from privbot.classify.intents import RuleSet, load_intents
from privbot.classify.match import classify_text

INTENTS_DIR = Path(__file__).resolve().parents[2] / "intents"

Case = tuple[str, tuple[str, ...]]  # (body, (main intent, other intents …))


@pytest.fixture(scope="module")
def intents() -> RuleSet:
    return load_intents(INTENTS_DIR)


SWEDISH: list[Case] = [
    # erasure
    ("Ta bort mig ur era register.", ("erasure",)),
    ("Plocka bort allt ni har om mig.", ("erasure",)),
    ("Rensa bort mina uppgifter ur ert system, tack.", ("erasure",)),
    ("Jag vill inte finnas kvar hos er.", ("erasure",)),
    ("Skrota allt ni har sparat om mig.", ("erasure",)),
    ("Jag vill bli struken ur ert kundregister.", ("erasure",)),
    ("Kan ni radera min data?", ("erasure",)),
    ("Avsluta mitt konto och radera alla mina uppgifter.", ("erasure",)),
    ("Jag vill att ni glömmer bort mig helt.", ("erasure",)),
    ("Släng mitt CV, jag har fått ett annat jobb.", ("erasure",)),
    ("Ni får gärna göra er av med allt om mig.", ("erasure",)),
    ("Ta bort min profil och all min historik.", ("erasure",)),
    # access
    ("Vad har ni för uppgifter om mig?", ("access",)),
    ("Jag vill veta vad ni har sparat om mig.", ("access",)),
    ("Skicka mig allt ni har om mig.", ("access",)),
    ("Kan jag få ut mina personuppgifter?", ("access",)),
    ("Jag vill ha en kopia på mina uppgifter.", ("access",)),
    ("Vilken info har ni på mig?", ("access",)),
    ("Jag vill veta om ni har några uppgifter om mig.", ("access",)),
    ("Får jag se vad ni har registrerat om mig?", ("access",)),
    ("Jag vill begära ut min data.", ("access",)),
    ("Vad vet ni om mig egentligen?", ("access",)),
    # rectification
    ("Mitt efternamn är felstavat, det ska vara Lindqvist.", ("rectification",)),
    ("Byt min adress till Storgatan 5 i Umeå.", ("rectification",)),
    ("Kan ni uppdatera mitt mobilnummer?", ("rectification",)),
    ("Ni har skrivit fel på min e-postadress.", ("rectification",)),
    ("Jag har gift mig och bytt efternamn till Berg.", ("rectification",)),
    ("Ni har fel födelsedatum på mig.", ("rectification",)),
    ("Jag har flyttat, min nya adress är Granvägen 3.", ("rectification",)),
    # restriction
    ("Frys mina uppgifter tills ärendet är utrett.", ("restriction",)),
    ("Använd inte mina uppgifter medan ni utreder saken.", ("restriction",)),
    ("Radera inte mina uppgifter, jag behöver dem som bevis i en tvist.", ("restriction",)),
    ("Jag vill att ni pausar behandlingen av mina uppgifter tills vidare.", ("restriction",)),
    # portability
    ("Jag vill flytta min data till en annan leverantör.", ("portability",)),
    ("Kan jag få mina uppgifter som en csv-fil?", ("portability",)),
    (
        "Exportera min träningshistorik så att jag kan ta med den till ett annat gym.",
        ("portability",),
    ),
    ("Skicka över mina uppgifter direkt till min nya bank.", ("portability",)),
    # objection
    ("Jag motsätter mig att ni analyserar mina köp.", ("objection",)),
    ("Sluta profilera mig.", ("objection",)),
    ("Jag vill inte att ni delar mina uppgifter med era partner.", ("objection",)),
    ("Sälj inte mina uppgifter vidare.", ("objection",)),
    ("Sluta kartlägga mitt beteende på er sajt.", ("objection",)),
    # marketing_optout
    ("Sluta ringa mig.", ("marketing_optout",)),
    ("Jag vill inte ha fler erbjudanden från er.", ("marketing_optout",)),
    ("Sluta spamma mig.", ("marketing_optout",)),
    ("Ta bort mig från er sms-lista.", ("marketing_optout",)),
    ("Jag vill avbeställa ert nyhetsbrev.", ("marketing_optout",)),
    ("Ring mig inte mer.", ("marketing_optout",)),
    ("Mejla mig inte fler gånger med era kampanjer.", ("marketing_optout",)),
    ("Säg upp mitt nyhetsbrev.", ("marketing_optout",)),
    ("Skicka inga fler reklamutskick till mig.", ("marketing_optout",)),
    # consent_withdrawal
    ("Jag drar tillbaka mitt samtycke.", ("consent_withdrawal",)),
    ("Jag ångrar att jag gav er tillåtelse att använda min bild.", ("consent_withdrawal",)),
    ("Jag återkallar mitt godkännande till att ni spelar in samtalen.", ("consent_withdrawal",)),
    # complaint
    ("Jag tänker anmäla er till IMY.", ("complaint",)),
    ("Jag kommer att klaga hos Integritetsskyddsmyndigheten.", ("complaint",)),
    ("Jag vill lämna in ett klagomål på hur ni har hanterat mina uppgifter.", ("complaint",)),
    # question
    ("Hur länge sparar ni mina personuppgifter?", ("question",)),
    ("Var hittar jag er integritetspolicy?", ("question",)),
]

SWEDISH_NEGATIVE: list[Case] = [
    ("Radera AD-kontot för en anställd som slutat.", ("other",)),
    ("Tack, nu ser jag att ni har raderat det.", ("other",)),
    ("Kan ni ta bort förseningsavgiften från fakturan?", ("other",)),
    ("Vi behöver rensa bort gamla filer på filservern.", ("other",)),
    ("Kan jag få en kopia på kvittot?", ("other",)),
    ("Kan ni flytta mitt möte till torsdag?", ("other",)),
    ("Skicka gärna en offert på tio nya licenser.", ("other",)),
    ("Vad har ni för öppettider i jul?", ("other",)),
    ("Kan ni byta ut den trasiga skärmen i konferensrummet?", ("other",)),
]

ENGLISH: list[Case] = [
    # erasure
    ("Wipe my details.", ("erasure",)),
    ("Get rid of my info please.", ("erasure",)),
    ("Please delete everything you have on me.", ("erasure",)),
    ("Remove me from your database.", ("erasure",)),
    ("Can you scrub my records?", ("erasure",)),
    ("Please take my details off your system.", ("erasure",)),
    ("Close my account and delete my data.", ("erasure",)),
    ("Delete my profile, I am done with your app.", ("erasure",)),
    ("Erase all trace of me from your files.", ("erasure",)),
    ("I no longer want you to hold any of my information.", ("erasure",)),
    # access
    ("What do you have on me?", ("access",)),
    ("What info do you hold about me?", ("access",)),
    ("Send me a copy of my data.", ("access",)),
    ("I'd like to see everything you've got on me.", ("access",)),
    ("I want to make a subject access request.", ("access",)),
    ("Please tell me whether you hold any data about me.", ("access",)),
    ("Please provide me with my personal information.", ("access",)),
    # rectification
    ("My surname is spelt wrong.", ("rectification",)),
    ("Please update my address to 4 Mill Lane, York.", ("rectification",)),
    ("You still have my old phone number, please change it.", ("rectification",)),
    ("I got married, so my last name has changed to Smith.", ("rectification",)),
    ("Correct my date of birth, it is 1985 and not 1958.", ("rectification",)),
    # restriction
    ("Please freeze my data until this is sorted out.", ("restriction",)),
    ("Stop using my data while you investigate my complaint.", ("restriction",)),
    ("Do not delete my data, I need it for a court case.", ("restriction",)),
    # portability
    ("Export my data so I can move to another provider.", ("portability",)),
    ("Please send my data as a CSV file.", ("portability",)),
    ("Transfer my playlists to a new service.", ("portability",)),
    # objection
    ("I object to you profiling me.", ("objection",)),
    ("Stop tracking me.", ("objection",)),
    ("Do not sell my data.", ("objection",)),
    ("I do not want my data shared with third parties.", ("objection",)),
    # marketing_optout
    ("Unsubscribe me.", ("marketing_optout",)),
    ("Take me off your mailing list.", ("marketing_optout",)),
    ("Stop spamming me.", ("marketing_optout",)),
    ("No more promo emails please.", ("marketing_optout",)),
    ("Please stop the texts.", ("marketing_optout",)),
    ("Don't call me again.", ("marketing_optout",)),
    ("Please remove my email from your marketing list.", ("marketing_optout",)),
    # consent_withdrawal
    ("I withdraw my consent.", ("consent_withdrawal",)),
    ("I take back my permission to use my photo.", ("consent_withdrawal",)),
    ("I revoke the consent I gave you last year.", ("consent_withdrawal",)),
    # complaint
    ("I will report you to the ICO.", ("complaint",)),
    ("I am lodging a complaint with the data protection authority.", ("complaint",)),
    # question
    ("How long do you keep my personal data?", ("question",)),
]

ENGLISH_NEGATIVE: list[Case] = [
    ("Thanks, you deleted it, all good now.", ("other",)),
    ("Please delete the duplicate invoice you sent yesterday.", ("other",)),
    ("Remove the old admin users from our Office 365 tenant.", ("other",)),
    ("We need to wipe the laptop of a former employee.", ("other",)),
    ("Can you send me a copy of the invoice?", ("other",)),
    ("Please send me the user manual for the router.", ("other",)),
    ("Can you change my delivery slot to Friday?", ("other",)),
    ("Please update me on the status of my order.", ("other",)),
]

OTHER_LANGUAGES: list[Case] = [
    # Norwegian
    ("Slett meg.", ("erasure",)),
    ("Slett alle opplysningene mine.", ("erasure",)),
    ("Vennligst slett dataene mine.", ("erasure",)),
    ("Kan dere slette meg fra systemet?", ("erasure",)),
    ("Jeg ønsker å bli slettet.", ("erasure",)),
    ("Slett brukeren min.", ("erasure",)),
    ("Slett meg fra nyhetsbrevet.", ("marketing_optout",)),
    ("Avslutt kontoen min og slett dataene mine.", ("erasure",)),
    ("Send meg en kopi av personopplysningene mine.", ("access",)),
    ("Jeg ber om innsyn i hvilke opplysninger dere har om meg.", ("access",)),
    ("Adressen min er feil, vennligst rett den.", ("rectification",)),
    ("Meld meg av nyhetsbrevet.", ("marketing_optout",)),
    ("Ikke ring meg mer.", ("marketing_optout",)),
    ("Jeg trekker tilbake samtykket mitt.", ("consent_withdrawal",)),
    ("Jeg vil klage til Datatilsynet.", ("complaint",)),
    ("Jeg protesterer mot at dere bruker opplysningene mine til profilering.", ("objection",)),
    ("Overfør dataene mine til en annen leverandør.", ("portability",)),
    # Danish
    ("Slet mine oplysninger.", ("erasure",)),
    ("Luk min konto og slet mine data.", ("erasure",)),
    ("Jeg vil gerne slettes fra jeres system.", ("erasure",)),
    ("Slet mig fra jeres nyhedsbrev.", ("marketing_optout",)),
    ("Send mig en kopi af de oplysninger, I har om mig.", ("access",)),
    ("Mit navn er stavet forkert.", ("rectification",)),
    ("Afmeld mig jeres nyhedsbrev.", ("marketing_optout",)),
    ("Jeg trækker mit samtykke tilbage.", ("consent_withdrawal",)),
    ("Jeg klager til Datatilsynet over jer.", ("complaint",)),
    ("Jeg gør indsigelse mod jeres profilering af mig.", ("objection",)),
    ("Overfør mine data til en ny udbyder.", ("portability",)),
    # Finnish
    ("Poistakaa tietoni.", ("erasure",)),
    ("Haluan että poistatte kaikki tietoni.", ("erasure",)),
    ("Pyydän poistamaan henkilötietoni rekisteristänne.", ("erasure",)),
    ("Sulkekaa tilini ja poistakaa tiedot.", ("erasure",)),
    ("Lähettäkää minulle kopio tiedoistani.", ("access",)),
    ("Haluan tietää, mitä tietoja teillä on minusta.", ("access",)),
    ("Osoitteeni on väärä, korjatkaa se.", ("rectification",)),
    ("En halua enää uutiskirjettä.", ("marketing_optout",)),
    ("Älkää soittako minulle enää.", ("marketing_optout",)),
    ("Peruutan suostumukseni.", ("consent_withdrawal",)),
    ("Vastustan tietojeni käyttöä profilointiin.", ("objection",)),
    ("Siirtäkää tietoni toiselle palveluntarjoajalle.", ("portability",)),
    ("Teen valituksen tietosuojavaltuutetulle.", ("complaint",)),
    # German
    ("Ich möchte, dass Sie meine Daten löschen.", ("erasure",)),
    ("Bitte löschen Sie mein Konto.", ("erasure",)),
    ("Bitte senden Sie mir eine Kopie meiner Daten.", ("access",)),
    ("Ich verlange Auskunft über meine gespeicherten Daten.", ("access",)),
    ("Meine Adresse ist falsch, bitte korrigieren Sie sie.", ("rectification",)),
    ("Bitte tragen Sie mich aus dem Newsletter aus.", ("marketing_optout",)),
    ("Ich will nicht mehr angerufen werden.", ("marketing_optout",)),
    ("Ich widerrufe meine Einwilligung.", ("consent_withdrawal",)),
    ("Ich werde mich bei der Datenschutzbehörde beschweren.", ("complaint",)),
    ("Ich widerspreche der Verarbeitung meiner Daten.", ("objection",)),
    ("Bitte übertragen Sie meine Daten an einen neuen Anbieter.", ("portability",)),
    (
        "Bitte schränken Sie die Verarbeitung meiner Daten ein, bis alles geklärt ist.",
        ("restriction",),
    ),
    # Polish
    ("Proszę o usunięcie moich danych.", ("erasure",)),
    ("Proszę usunąć moje dane osobowe.", ("erasure",)),
    ("Usuńcie moje konto.", ("erasure",)),
    ("Chcę otrzymać kopię moich danych.", ("access",)),
    ("Proszę o informację, jakie dane na mój temat przetwarzacie.", ("access",)),
    ("Mój adres jest błędny, proszę go poprawić.", ("rectification",)),
    ("Proszę o wypisanie mnie z newslettera.", ("marketing_optout",)),
    ("Proszę do mnie więcej nie dzwonić.", ("marketing_optout",)),
    ("Wycofuję zgodę na przetwarzanie moich danych.", ("consent_withdrawal",)),
    ("Złożę skargę do UODO.", ("complaint",)),
    ("Sprzeciwiam się profilowaniu.", ("objection",)),
    ("Proszę o przeniesienie moich danych do innego dostawcy.", ("portability",)),
    ("Proszę ograniczyć przetwarzanie moich danych do czasu wyjaśnienia sprawy.", ("restriction",)),
    # French
    ("Merci de supprimer mes données.", ("erasure",)),
    ("Je souhaite que vous effaciez mon compte.", ("erasure",)),
    ("Je voudrais obtenir une copie de mes données personnelles.", ("access",)),
    ("Mon adresse est erronée, merci de la corriger.", ("rectification",)),
    ("Veuillez me désinscrire de la newsletter.", ("marketing_optout",)),
    ("Ne m'appelez plus.", ("marketing_optout",)),
    ("Je retire mon consentement.", ("consent_withdrawal",)),
    ("Je vais porter plainte auprès de la CNIL.", ("complaint",)),
    ("Je m'oppose au profilage.", ("objection",)),
    (
        "Je souhaite récupérer mes données pour les transférer à un autre fournisseur.",
        ("portability",),
    ),
    # Spanish
    ("Por favor, borren mis datos.", ("erasure",)),
    ("Quiero que eliminen mi cuenta.", ("erasure",)),
    ("Quiero una copia de mis datos.", ("access",)),
    ("Mi dirección es incorrecta, corríjanla por favor.", ("rectification",)),
    ("Denme de baja de la newsletter.", ("marketing_optout",)),
    ("No me llamen más.", ("marketing_optout",)),
    ("Retiro mi consentimiento.", ("consent_withdrawal",)),
    ("Presentaré una reclamación ante la AEPD.", ("complaint",)),
    ("Me opongo al tratamiento de mis datos.", ("objection",)),
    ("Quiero portar mis datos a otro proveedor.", ("portability",)),
]

OTHER_LANGUAGES_NEGATIVE: list[Case] = [
    ("Bitte löschen Sie die doppelte Rechnung.", ("other",)),
    ("Kan dere sende meg fakturaen på nytt?", ("other",)),
    ("Kan dere slette den doble fakturaen?", ("other",)),
    ("Vi må slette brukerkontoene til de ansatte som har sluttet.", ("other",)),
    ("Proszę o przesłanie faktury za marzec.", ("other",)),
    ("Merci de m'envoyer le devis pour les licences.", ("other",)),
    ("Lähettäkää lasku uudelleen.", ("other",)),
]


def _check(intents: RuleSet, body: str, expected: tuple[str, ...]) -> None:
    result = classify_text("", body, intents)
    assert (result.intents[:1], set(result.intents)) == (expected[:1], set(expected)), (
        result.evidence
    )


@pytest.mark.parametrize(("body", "expected"), SWEDISH)
def test_swedish(intents: RuleSet, body: str, expected: tuple[str, ...]) -> None:
    _check(intents, body, expected)


@pytest.mark.parametrize(("body", "expected"), SWEDISH_NEGATIVE)
def test_swedish_negative(intents: RuleSet, body: str, expected: tuple[str, ...]) -> None:
    _check(intents, body, expected)


@pytest.mark.parametrize(("body", "expected"), ENGLISH)
def test_english(intents: RuleSet, body: str, expected: tuple[str, ...]) -> None:
    _check(intents, body, expected)


@pytest.mark.parametrize(("body", "expected"), ENGLISH_NEGATIVE)
def test_english_negative(intents: RuleSet, body: str, expected: tuple[str, ...]) -> None:
    _check(intents, body, expected)


@pytest.mark.parametrize(("body", "expected"), OTHER_LANGUAGES)
def test_other_languages(intents: RuleSet, body: str, expected: tuple[str, ...]) -> None:
    _check(intents, body, expected)


@pytest.mark.parametrize(("body", "expected"), OTHER_LANGUAGES_NEGATIVE)
def test_other_languages_negative(intents: RuleSet, body: str, expected: tuple[str, ...]) -> None:
    _check(intents, body, expected)
