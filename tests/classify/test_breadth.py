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
    ("Jag vill att ni tar bort allt som rör mig.", ("erasure",)),
    ("Radera mitt användarkonto och allt som hör till det.", ("erasure",)),
    ("Ni får gärna rensa ut mig ur kundregistret.", ("erasure",)),
    ("Jag vill inte längre vara kund hos er, radera mina uppgifter.", ("erasure",)),
    ("Stryk mig ur ert register.", ("erasure",)),
    ("Gör er av med mina personuppgifter.", ("erasure",)),
    ("Kan ni ta bort min mejladress ur systemet?", ("erasure",)),
    ("Töm mitt konto på all information och stäng det.", ("erasure",)),
    ("Jag begär att mina uppgifter raderas omedelbart.", ("erasure",)),
    (
        "Hej! Jag har inte handlat hos er på flera år och vill nu att ni raderar mig helt. Mvh Karin",
        ("erasure",),
    ),
    (
        "Hej, jag har sagt upp mitt abonnemang och vill att all min info försvinner från er.",
        ("erasure",),
    ),
    ("Snälla ta bort allt om mig, jag vill inte ha något med er att göra längre.", ("erasure",)),
    ("Jag kräver att ni raderar samtliga personuppgifter ni har om mig.", ("erasure",)),
    ("Nu vill jag bli bortplockad ur era system.", ("erasure",)),
    (
        "Hej. Jag vill avsluta mitt medlemskap och att ni tar bort mina uppgifter. Tack!",
        ("erasure",),
    ),
    ("Kan ni tömma er databas på mina uppgifter?", ("erasure",)),
    ("Jag vill att ni raderar min ansökan och mitt CV.", ("erasure",)),
    (
        "Härmed begär jag radering av samtliga mina personuppgifter enligt artikel 17 GDPR.",
        ("erasure",),
    ),
    ("Fixa så att mitt konto och allt om mig försvinner.", ("erasure",)),
    ("Kan ni se till att jag inte finns med i era system längre?", ("erasure",)),
    ("Jag vill bli av med mitt konto hos er.", ("erasure",)),
    ("Jag önskar att ni raderar all lagrad information om mig.", ("erasure",)),
    ("Jag vill att ni tar bort mitt konto permanent.", ("erasure",)),
    ("Radera mej ur alla era register tack", ("erasure",)),
    ("Ta bort alla mina personuppgifter från er hemsida och era system.", ("erasure",)),
    ("Jag vill inte att ni sparar något om mig längre.", ("erasure",)),
    ("Kan ni rensa mitt konto och sedan stänga det?", ("erasure",)),
    ("ta bort mej fran era register tack", ("erasure",)),
    ("radera mina uppgifer omedelbart", ("erasure",)),
    ("Jag vill att ni raderar mitt konto asap.", ("erasure",)),
    ("hej vill bli borttagen ur ert system", ("erasure",)),
    ("Snälla radera allt om mig, orkar inte med er längre.", ("erasure",)),
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
    ("Vilka personuppgifter behandlar ni om mig?", ("access",)),
    ("Jag vill ta del av de uppgifter ni har om mig.", ("access",)),
    ("Jag begär ett registerutdrag.", ("access",)),
    ("Kan ni skicka en sammanställning av mina personuppgifter?", ("access",)),
    ("Vad har ni lagrat om mig?", ("access",)),
    ("Jag vill få veta vilka uppgifter ni har om mig och varifrån ni fått dem.", ("access",)),
    ("Visa mig vad ni har på mig.", ("access",)),
    (
        "Hej! Enligt GDPR har jag rätt att få veta vad ni har om mig. Skicka det till mig.",
        ("access",),
    ),
    ("Jag vill ha ut alla uppgifter ni har om mig.", ("access",)),
    ("Jag undrar vilka uppgifter ni har sparade om mig.", ("access",)),
    ("Kan ni berätta vilken information ni har om mig och hur ni använder den?", ("access",)),
    ("Jag vill ha en kopia av mina samtalsinspelningar.", ("access",)),
    ("Skicka mig min köphistorik och alla uppgifter ni har om mig.", ("access",)),
    ("Vilka har ni lämnat ut mina uppgifter till?", ("access",)),
    ("Varifrån har ni fått mina uppgifter?", ("access",)),
    ("Jag vill se loggarna över vem som har tittat på min journal.", ("access",)),
    ("Kan ni kolla vad ni har på mig?", ("access",)),
    (
        "Härmed begär jag, enligt artikel 15 i dataskyddsförordningen, ett registerutdrag.",
        ("access",),
    ),
    ("Jag vill gärna se allt ni har registrerat om mig.", ("access",)),
    ("Vad finns det för information om mig hos er?", ("access",)),
    ("Jag vill begära ut de personuppgifter ni behandlar om mig.", ("access",)),
    ("Jag önskar få en kopia av samtliga personuppgifter som rör mig.", ("access",)),
    ("vad har ni om mej", ("access",)),
    ("vill se vad ni har sparat om mej", ("access",)),
    ("Vilka uppgifter har ni om mej?", ("access",)),
    # rectification
    ("Mitt efternamn är felstavat, det ska vara Lindqvist.", ("rectification",)),
    ("Byt min adress till Storgatan 5 i Umeå.", ("rectification",)),
    ("Kan ni uppdatera mitt mobilnummer?", ("rectification",)),
    ("Ni har skrivit fel på min e-postadress.", ("rectification",)),
    ("Jag har gift mig och bytt efternamn till Berg.", ("rectification",)),
    ("Ni har fel födelsedatum på mig.", ("rectification",)),
    ("Jag har flyttat, min nya adress är Granvägen 3.", ("rectification",)),
    ("Min adress är inte rätt, jag bor på Ekvägen 4.", ("rectification",)),
    ("Rätta mitt personnummer, sista siffrorna är fel.", ("rectification",)),
    ("Uppdatera min e-post till anna.berg@example.se.", ("rectification",)),
    ("Jag har bytt telefonnummer, det nya är 070-1234567.", ("rectification",)),
    ("Mitt namn är fel i ert system.", ("rectification",)),
    ("Hej, jag har fått nytt efternamn efter giftermålet, det är nu Ek.", ("rectification",)),
    ("Ni har fel adress till mig, breven kommer inte fram.", ("rectification",)),
    ("Mitt telefonnummer i ert system stämmer inte längre.", ("rectification",)),
    ("Kan ni ändra stavningen på mitt förnamn? Det ska vara Kajsa med K.", ("rectification",)),
    ("Min mejladress är fel i kundregistret.", ("rectification",)),
    ("Mitt namn har ändrats, jag heter nu Maria Holm.", ("rectification",)),
    ("Jag har bytt mejl, använd den nya adressen istället.", ("rectification",)),
    ("Vänligen rätta min adress, postnumret är fel.", ("rectification",)),
    ("Min titel är inte längre säljchef, uppdatera det.", ("rectification",)),
    ("Komplettera mina uppgifter med mitt nya telefonnummer.", ("rectification",)),
    ("Ni har fel namn på mig i era utskick.", ("rectification",)),
    ("Adressen ni har till mig är gammal.", ("rectification",)),
    ("Jag vill att ni rättar mina uppgifter.", ("rectification",)),
    ("Mitt efternamn har stavats fel i alla brev.", ("rectification",)),
    ("Ni har skrivit fel födelsedatum.", ("rectification",)),
    # restriction
    ("Frys mina uppgifter tills ärendet är utrett.", ("restriction",)),
    ("Använd inte mina uppgifter medan ni utreder saken.", ("restriction",)),
    ("Radera inte mina uppgifter, jag behöver dem som bevis i en tvist.", ("restriction",)),
    ("Jag vill att ni pausar behandlingen av mina uppgifter tills vidare.", ("restriction",)),
    ("Använd inte mina uppgifter förrän ni har rättat dem.", ("restriction",)),
    (
        "Jag bestrider att uppgifterna stämmer, så begränsa behandlingen tills ni har kontrollerat.",
        ("restriction",),
    ),
    (
        "Spara mina uppgifter men använd dem inte, jag behöver dem i en rättsprocess.",
        ("restriction",),
    ),
    ("Frys mitt konto tills utredningen är klar.", ("restriction",)),
    (
        "Jag ifrågasätter riktigheten i uppgifterna, använd dem inte innan ni kontrollerat.",
        ("restriction",),
    ),
    ("Behåll uppgifterna men gör inget med dem tills vidare.", ("restriction",)),
    ("Jag vill att ni begränsar användningen av mina uppgifter.", ("restriction",)),
    ("Lägg mina uppgifter på is tills vi har rett ut det här.", ("restriction",)),
    ("Jag vill att mina uppgifter spärras medan ni utreder min invändning.", ("restriction",)),
    # portability
    ("Jag vill flytta min data till en annan leverantör.", ("portability",)),
    ("Kan jag få mina uppgifter som en csv-fil?", ("portability",)),
    (
        "Exportera min träningshistorik så att jag kan ta med den till ett annat gym.",
        ("portability",),
    ),
    ("Skicka över mina uppgifter direkt till min nya bank.", ("portability",)),
    ("Jag vill ha min data i ett format jag kan ta med till en annan tjänst.", ("portability",)),
    ("Kan ni överföra mina uppgifter till min nya leverantör?", ("portability",)),
    ("Ladda ner all min data åt mig som en fil.", ("portability",)),
    ("Jag vill ha en export av all min data.", ("portability",)),
    ("Kan ni föra över mina uppgifter till en annan elleverantör?", ("portability",)),
    ("Jag vill få ut mina data i ett format som andra system kan läsa.", ("portability",)),
    ("Ge mig all min data som en zip-fil så jag kan flytta den.", ("portability",)),
    ("Jag vill utnyttja min rätt till dataportabilitet.", ("portability",)),
    ("Skicka min orderhistorik som en Excel-fil.", ("portability",)),
    # objection
    ("Jag motsätter mig att ni analyserar mina köp.", ("objection",)),
    ("Sluta profilera mig.", ("objection",)),
    ("Jag vill inte att ni delar mina uppgifter med era partner.", ("objection",)),
    ("Sälj inte mina uppgifter vidare.", ("objection",)),
    ("Sluta kartlägga mitt beteende på er sajt.", ("objection",)),
    ("Jag invänder mot att ni använder mina uppgifter för marknadsundersökningar.", ("objection",)),
    ("Jag vill inte bli profilerad.", ("objection",)),
    ("Sluta analysera mina köp.", ("objection",)),
    ("Jag motsätter mig all profilering av mig.", ("objection",)),
    (
        "Jag vill inte att ni använder mina uppgifter för att skräddarsy erbjudanden.",
        ("objection",),
    ),
    ("Sluta följa mitt beteende på er hemsida.", ("objection",)),
    ("Jag vill inte att mina uppgifter används för statistik.", ("objection",)),
    ("Ni får inte använda mina uppgifter för riktad reklam.", ("objection",)),
    ("Jag motsätter mig att mina uppgifter lämnas till era samarbetspartner.", ("objection",)),
    ("Jag vill inte bli föremål för automatiserade beslut.", ("objection",)),
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
    ("Jag vill inte ha mer reklam från er.", ("marketing_optout",)),
    ("Avregistrera mig från era utskick.", ("marketing_optout",)),
    ("Sluta skicka sms till mig.", ("marketing_optout",)),
    ("Jag vill inte bli kontaktad i säljsyfte.", ("marketing_optout",)),
    ("Sluta mejla mig.", ("marketing_optout",)),
    ("Inga fler nyhetsbrev tack.", ("marketing_optout",)),
    ("Ta bort mig från era mailutskick.", ("marketing_optout",)),
    ("Jag vill avsluta prenumerationen på ert nyhetsbrev.", ("marketing_optout",)),
    (
        "Hej, jag får era nyhetsbrev fast jag aldrig anmält mig. Avregistrera mig.",
        ("marketing_optout",),
    ),
    ("Era säljare ringer mig hela tiden, sluta med det.", ("marketing_optout",)),
    ("Jag vill inte få fler sms från er.", ("marketing_optout",)),
    ("Avsluta alla utskick till mig.", ("marketing_optout",)),
    ("Jag vill slippa era nyhetsbrev.", ("marketing_optout",)),
    ("Ni kan sluta ringa mig nu.", ("marketing_optout",)),
    ("Jag har tröttnat på era mejl, sluta skicka dem.", ("marketing_optout",)),
    ("Vill inte ha fler utskick från er.", ("marketing_optout",)),
    ("Inga mer sms tack!", ("marketing_optout",)),
    ("Jag avböjer all marknadsföring från er.", ("marketing_optout",)),
    ("Jag vill inte bli kontaktad av er igen.", ("marketing_optout",)),
    ("Sluta skicka reklamutskick till mig.", ("marketing_optout",)),
    ("Inga fler reklammejl tack.", ("marketing_optout",)),
    ("Jag vill slippa er direktreklam.", ("marketing_optout",)),
    ("sluta skicka mail till mig!!!", ("marketing_optout",)),
    ("vill inte ha era mejl längre", ("marketing_optout",)),
    ("avregistrera mej", ("marketing_optout",)),
    ("Sluta ringa mig, jag är inte intresserad.", ("marketing_optout",)),
    # consent_withdrawal
    ("Jag drar tillbaka mitt samtycke.", ("consent_withdrawal",)),
    ("Jag ångrar att jag gav er tillåtelse att använda min bild.", ("consent_withdrawal",)),
    ("Jag återkallar mitt godkännande till att ni spelar in samtalen.", ("consent_withdrawal",)),
    ("Jag tar tillbaka mitt samtycke till nyhetsbrevet.", ("consent_withdrawal",)),
    ("Jag återkallar mitt samtycke till behandlingen.", ("consent_withdrawal",)),
    ("Jag vill dra tillbaka mitt medgivande.", ("consent_withdrawal",)),
    ("Jag tar härmed tillbaka samtycket jag gav vid registreringen.", ("consent_withdrawal",)),
    (
        "Jag drar tillbaka mitt samtycke till att ni använder bilderna på mig.",
        ("consent_withdrawal",),
    ),
    ("Jag ångrar mitt samtycke till att bli fotograferad.", ("consent_withdrawal",)),
    # complaint
    ("Jag tänker anmäla er till IMY.", ("complaint",)),
    ("Jag kommer att klaga hos Integritetsskyddsmyndigheten.", ("complaint",)),
    ("Jag vill lämna in ett klagomål på hur ni har hanterat mina uppgifter.", ("complaint",)),
    ("Jag kommer att anmäla detta till IMY.", ("complaint",)),
    ("Jag vill klaga på hur ni har hanterat min begäran.", ("complaint",)),
    ("Jag har lämnat in ett klagomål till Integritetsskyddsmyndigheten.", ("complaint",)),
    ("Jag är mycket missnöjd och kommer att gå vidare till IMY.", ("complaint",)),
    ("Detta är ett formellt klagomål.", ("complaint",)),
    ("Ni har inte svarat på min begäran på två månader, jag kommer att anmäla er.", ("complaint",)),
    ("Ni har brutit mot GDPR och jag kommer att anmäla det.", ("complaint",)),
    ("Jag är mycket upprörd över att ni har lämnat ut mina uppgifter utan lov.", ("complaint",)),
    # breach
    ("Jag fick ett mejl med någon annans personnummer.", ("breach",)),
    ("Jag fick någon annans lönebesked i min mejl.", ("breach",)),
    ("Ert nyhetsbrev skickades med alla mottagares adresser synliga.", ("breach",)),
    # question
    ("Hur länge sparar ni mina personuppgifter?", ("question",)),
    ("Var hittar jag er integritetspolicy?", ("question",)),
    ("Hur länge sparar ni kunduppgifter efter att kontot avslutats?", ("question",)),
    ("Vilken rättslig grund har ni för att spara mitt personnummer?", ("question",)),
    ("Delar ni mina uppgifter med andra företag?", ("question",)),
    ("Vilka kakor använder ni på er webbplats?", ("question",)),
    ("Hur skyddar ni mina personuppgifter?", ("question",)),
    ("Vem är ert dataskyddsombud?", ("question",)),
    ("Överför ni mina uppgifter till länder utanför EU?", ("question",)),
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
    ("Jag har glömt mitt lösenord, kan ni hjälpa mig?", ("other",)),
    ("Kan ni radera den dubbla bokningen?", ("other",)),
    ("Vi vill säga upp avtalet med er från och med juni.", ("other",)),
    ("Skicka mig fakturan för mars igen.", ("other",)),
    ("Kan ni ändra min leveransadress för den här ordern?", ("other",)),
    ("Hej, när öppnar ni butiken imorgon?", ("other",)),
    ("Kan ni skicka en ny faktura med rätt belopp?", ("other",)),
    ("Vi vill boka en demo av er plattform.", ("other",)),
    ("Tack för hjälpen, nu fungerar allt.", ("other",)),
    ("Kan ni flytta min leverans till nästa vecka?", ("other",)),
    ("Kan ni kolla min faktura, beloppet verkar fel?", ("other",)),
    ("Kan ni kolla om mitt paket har skickats?", ("other",)),
    ("Vi planerar en uppgradering av servern i helgen.", ("other",)),
    ("Kan jag få ett kontoutdrag för mars?", ("other",)),
    ("Finns det någon hastighetsbegränsning på bredbandet?", ("other",)),
    ("Vad har ni för leveranstider?", ("other",)),
    ("Jag vill reklamera min tvättmaskin.", ("other",)),
    ("Kan ni ändra IP-adressen på skrivaren?", ("other",)),
    ("Jag vill visa dej våra nya erbjudanden.", ("other",)),
    (
        "Jag tackar nej till erbjudandet om uppgradering, men vill behålla mitt abonnemang.",
        ("other",),
    ),
    ("Jag tänker anmäla det till polisen, någon har stulit min cykel.", ("other",)),
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
    ("Please erase me from your systems.", ("erasure",)),
    ("Kindly purge any records you hold about me.", ("erasure",)),
    ("Delete all traces of me.", ("erasure",)),
    ("I want to be forgotten.", ("erasure",)),
    ("Please close and delete my account.", ("erasure",)),
    ("Remove my personal details from your files.", ("erasure",)),
    ("I'd like you to get rid of everything you have about me.", ("erasure",)),
    ("Can you destroy the copies of my passport you took?", ("erasure",)),
    ("Please cancel my account and erase my data.", ("erasure",)),
    ("Delete my user account please.", ("erasure",)),
    (
        "Hi, I cancelled my subscription last month. Please now delete all my personal data. Thanks, Mark",
        ("erasure",),
    ),
    ("I'm no longer a customer, so I want you to erase whatever you have on me.", ("erasure",)),
    ("Please get rid of my account and all associated data.", ("erasure",)),
    ("I'd like my information removed from your database.", ("erasure",)),
    ("Can you delete the recordings of my calls?", ("erasure",)),
    ("Please remove my photos from your website.", ("erasure",)),
    ("Delete my CV from your recruitment system, I found a job elsewhere.", ("erasure",)),
    ("I hereby request the erasure of all my personal data under Article 17.", ("erasure",)),
    ("Please make sure nothing about me is left in your systems.", ("erasure",)),
    ("I want my account permanently deleted.", ("erasure",)),
    ("Could you kindly erase my personal information from your records?", ("erasure",)),
    ("I don't want you to keep any of my data any more.", ("erasure",)),
    ("Pls delete my acc.", ("erasure",)),
    ("Wipe everything you have on me.", ("erasure",)),
    ("can u delete my account pls", ("erasure",)),
    ("delete all my stuff thx", ("erasure",)),
    ("I want out. Delete my account and everything in it.", ("erasure",)),
    # access
    ("What do you have on me?", ("access",)),
    ("What info do you hold about me?", ("access",)),
    ("Send me a copy of my data.", ("access",)),
    ("I'd like to see everything you've got on me.", ("access",)),
    ("I want to make a subject access request.", ("access",)),
    ("Please tell me whether you hold any data about me.", ("access",)),
    ("Please provide me with my personal information.", ("access",)),
    ("I want a copy of all the personal data you hold on me.", ("access",)),
    ("Please send me everything you've got on file about me.", ("access",)),
    ("What personal information are you processing about me?", ("access",)),
    ("Under GDPR I request access to my personal data.", ("access",)),
    ("Can you tell me what information you store about me?", ("access",)),
    ("Show me the data you keep on me.", ("access",)),
    ("Hi, I'm curious what data you have stored on me. Could you send it over?", ("access",)),
    ("I want to know what personal data you process about me and why.", ("access",)),
    ("Please send me copies of my call recordings.", ("access",)),
    ("Under article 15, please provide a copy of my personal data.", ("access",)),
    ("Could you let me know what details you have on file for me?", ("access",)),
    ("Where did you get my details from?", ("access",)),
    ("Who have you shared my data with?", ("access",)),
    ("I hereby make a data subject access request.", ("access",)),
    ("Please could you tell me what personal information you hold on me?", ("access",)),
    ("I'd like a copy of everything you hold about me, including emails.", ("access",)),
    ("What have you got stored about me?", ("access",)),
    ("Send over whatever data you have about me.", ("access",)),
    ("send me all my data pls", ("access",)),
    # rectification
    ("My surname is spelt wrong.", ("rectification",)),
    ("Please update my address to 4 Mill Lane, York.", ("rectification",)),
    ("You still have my old phone number, please change it.", ("rectification",)),
    ("I got married, so my last name has changed to Smith.", ("rectification",)),
    ("Correct my date of birth, it is 1985 and not 1958.", ("rectification",)),
    ("Your records show the wrong address for me.", ("rectification",)),
    ("Please fix the spelling of my name.", ("rectification",)),
    ("My email address has changed to tom@example.com.", ("rectification",)),
    ("Can you amend my date of birth? It is wrong.", ("rectification",)),
    ("Please change my surname in your system to Jones.", ("rectification",)),
    (
        "Hi, my address is out of date in your records, I now live at 12 High Street.",
        ("rectification",),
    ),
    ("You have my name spelled incorrectly on my account.", ("rectification",)),
    ("The phone number you have for me is wrong.", ("rectification",)),
    ("Please correct my personal details, the birth date is wrong.", ("rectification",)),
    ("The address on file is my old one.", ("rectification",)),
    ("My details are not up to date.", ("rectification",)),
    ("There's a typo in my surname.", ("rectification",)),
    ("Please note my new address: 5 Park Road.", ("rectification",)),
    ("My name is misspelled in your emails.", ("rectification",)),
    ("My postcode is incorrect on your system.", ("rectification",)),
    ("Please fix my details, the email is wrong.", ("rectification",)),
    ("I want my records corrected.", ("rectification",)),
    ("my name is spelt wrong pls fix", ("rectification",)),
    # restriction
    ("Please freeze my data until this is sorted out.", ("restriction",)),
    ("Stop using my data while you investigate my complaint.", ("restriction",)),
    ("Do not delete my data, I need it for a court case.", ("restriction",)),
    ("Please restrict the processing of my data while you verify its accuracy.", ("restriction",)),
    ("Keep my data but don't use it until my objection has been assessed.", ("restriction",)),
    ("Please put the processing of my data on hold.", ("restriction",)),
    ("Don't use my data while my complaint is pending.", ("restriction",)),
    ("Block any further use of my data until we have resolved the dispute.", ("restriction",)),
    ("I need you to keep my data for my legal claim but not use it otherwise.", ("restriction",)),
    ("Suspend processing my data while you check the accuracy.", ("restriction",)),
    # portability
    ("Export my data so I can move to another provider.", ("portability",)),
    ("Please send my data as a CSV file.", ("portability",)),
    ("Transfer my playlists to a new service.", ("portability",)),
    ("I want to port my data to a competitor.", ("portability",)),
    ("Please give me my data in a machine-readable format.", ("portability",)),
    ("Can I download all my data?", ("portability",)),
    ("Please export my account data to a file I can import elsewhere.", ("portability",)),
    ("I'd like to transfer my data to another bank.", ("portability",)),
    ("I'm switching to a competitor, please send them my data.", ("portability",)),
    ("Can you send my history in JSON?", ("portability",)),
    ("I want to exercise my right to data portability.", ("portability",)),
    ("Give me a machine-readable export of my account.", ("portability",)),
    ("I'd like my data handed over to my new insurer.", ("portability",)),
    ("Please provide my data in a structured, commonly used format.", ("portability",)),
    # objection
    ("I object to you profiling me.", ("objection",)),
    ("Stop tracking me.", ("objection",)),
    ("Do not sell my data.", ("objection",)),
    ("I do not want my data shared with third parties.", ("objection",)),
    ("I object to the processing of my personal data.", ("objection",)),
    ("Stop analysing my shopping habits.", ("objection",)),
    ("I do not want to be profiled.", ("objection",)),
    ("I object to my data being used for profiling.", ("objection",)),
    ("I don't want you tracking my behaviour on your website.", ("objection",)),
    ("I don't want to be part of your customer analytics.", ("objection",)),
    ("Please don't use my data to train your AI models.", ("objection",)),
    ("I object to you sharing my data with your partners.", ("objection",)),
    ("Exclude me from any profiling or segmentation.", ("objection",)),
    ("I oppose the use of my data based on legitimate interest.", ("objection",)),
    # marketing_optout
    ("Unsubscribe me.", ("marketing_optout",)),
    ("Take me off your mailing list.", ("marketing_optout",)),
    ("Stop spamming me.", ("marketing_optout",)),
    ("No more promo emails please.", ("marketing_optout",)),
    ("Please stop the texts.", ("marketing_optout",)),
    ("Don't call me again.", ("marketing_optout",)),
    ("Please remove my email from your marketing list.", ("marketing_optout",)),
    ("Please stop sending me marketing emails.", ("marketing_optout",)),
    ("I don't want any more newsletters.", ("marketing_optout",)),
    ("Take me off your call list.", ("marketing_optout",)),
    ("Stop texting me offers.", ("marketing_optout",)),
    ("Opt me out of all marketing.", ("marketing_optout",)),
    ("Please stop emailing me.", ("marketing_optout",)),
    ("I keep getting your promotional emails, make it stop.", ("marketing_optout",)),
    ("Please unsubscribe me from all your emails.", ("marketing_optout",)),
    ("Stop sending me promotional texts.", ("marketing_optout",)),
    ("I never signed up for your newsletter, take me off it.", ("marketing_optout",)),
    ("I'd like to opt out of your marketing emails.", ("marketing_optout",)),
    ("I don't want to hear from you again.", ("marketing_optout",)),
    ("Please don't send me any more offers.", ("marketing_optout",)),
    ("Stop the newsletters please.", ("marketing_optout",)),
    ("Remove my number from your call list.", ("marketing_optout",)),
    ("Can you stop texting me?", ("marketing_optout",)),
    ("stop emailing me!!", ("marketing_optout",)),
    ("unsubscribe", ("marketing_optout",)),
    ("pls stop the spam", ("marketing_optout",)),
    ("Remove me from ur mailing list", ("marketing_optout",)),
    # consent_withdrawal
    ("I withdraw my consent.", ("consent_withdrawal",)),
    ("I take back my permission to use my photo.", ("consent_withdrawal",)),
    ("I revoke the consent I gave you last year.", ("consent_withdrawal",)),
    ("I am withdrawing my consent to the use of my photos.", ("consent_withdrawal",)),
    ("I no longer consent to you processing my data.", ("consent_withdrawal",)),
    ("I revoke my permission for the call recordings.", ("consent_withdrawal",)),
    ("I hereby withdraw the consent I gave when I signed up.", ("consent_withdrawal",)),
    ("I am revoking my consent for you to use my data for research.", ("consent_withdrawal",)),
    ("I no longer agree to being filmed at your events.", ("consent_withdrawal",)),
    ("Please consider my consent for the photo withdrawn.", ("consent_withdrawal",)),
    # complaint
    ("I will report you to the ICO.", ("complaint",)),
    ("I am lodging a complaint with the data protection authority.", ("complaint",)),
    ("I will be reporting this to the Information Commissioner's Office.", ("complaint",)),
    ("I want to make a complaint about how you handled my data.", ("complaint",)),
    ("I have filed a complaint with the supervisory authority.", ("complaint",)),
    ("This is a formal complaint about how my request was handled.", ("complaint",)),
    ("I am very unhappy and will escalate this to the ICO.", ("complaint",)),
    (
        "I have been waiting over a month for a reply, which breaches the GDPR. I am reporting you to the ICO.",
        ("complaint",),
    ),
    ("You broke data protection law and I will take this further.", ("complaint",)),
    # breach
    ("I received an email with another customer's invoice attached.", ("breach",)),
    ("I think your website has been hacked, I can see other users' data.", ("breach",)),
    # question
    ("How long do you keep my personal data?", ("question",)),
    ("How long do you retain my data after I close my account?", ("question",)),
    ("What is your legal basis for processing my data?", ("question",)),
    ("Do you share my information with third parties?", ("question",)),
    ("Which cookies do you use on your site?", ("question",)),
    ("Who is your data protection officer?", ("question",)),
    ("Do you transfer my data outside the EU?", ("question",)),
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
    ("Can you update the firmware on our router?", ("other",)),
    ("Thank you for deleting my account so quickly.", ("other",)),
    ("I want to change my password.", ("other",)),
    ("Please cancel my order 12345.", ("other",)),
    ("Hi, what are your opening hours?", ("other",)),
    ("Please send the updated contract for signature.", ("other",)),
    ("I'd like to order two more units.", ("other",)),
    ("Thanks, I got the copy of my data, all looks good.", ("other",)),
    ("Our IT team needs to delete the old test accounts in Azure AD.", ("other",)),
    ("What do you have in stock?", ("other",)),
    ("What do you know about the outage yesterday?", ("other",)),
    ("I decline the meeting invitation for Friday.", ("other",)),
    ("Please send me a copy of my bank statement for March.", ("other",)),
    ("Please change the IP address of the printer.", ("other",)),
    ("I want to see the Danish version of the manual.", ("other",)),
    ("Can I borrow your data projector for the meeting?", ("other",)),
]


NORWEGIAN: list[Case] = [
    # erasure
    ("Slett meg.", ("erasure",)),
    ("Slett alle opplysningene mine.", ("erasure",)),
    ("Vennligst slett dataene mine.", ("erasure",)),
    ("Kan dere slette meg fra systemet?", ("erasure",)),
    ("Jeg ønsker å bli slettet.", ("erasure",)),
    ("Slett brukeren min.", ("erasure",)),
    ("Avslutt kontoen min og slett dataene mine.", ("erasure",)),
    ("Fjern meg fra registrene deres.", ("erasure",)),
    ("Jeg vil at dere sletter alle data dere har om meg.", ("erasure",)),
    # access
    ("Send meg en kopi av personopplysningene mine.", ("access",)),
    ("Jeg ber om innsyn i hvilke opplysninger dere har om meg.", ("access",)),
    ("Hva slags opplysninger har dere lagret om meg?", ("access",)),
    ("Jeg ber om innsyn i mine personopplysninger.", ("access",)),
    ("Hvilke personopplysninger har dere om meg?", ("access",)),
    ("Send meg alt dere har lagret om meg.", ("access",)),
    ("Kan jeg få se dataene mine?", ("access",)),
    # rectification
    ("Adressen min er feil, vennligst rett den.", ("rectification",)),
    ("Navnet mitt er stavet feil.", ("rectification",)),
    ("Jeg har fått nytt telefonnummer.", ("rectification",)),
    ("Min adresse er forkert.", ("rectification",)),
    ("Vennligst oppdater adressen min.", ("rectification",)),
    ("Telefonnummeret mitt er endret.", ("rectification",)),
    # restriction
    ("Begrens behandlingen av opplysningene mine til saken er avklart.", ("restriction",)),
    ("Vennligst sperr opplysningene mine til saken er avklart.", ("restriction",)),
    # portability
    ("Overfør dataene mine til en annen leverandør.", ("portability",)),
    ("Jeg vil gerne have mine data overført til et andet selskab.", ("portability",)),
    ("Jeg ønsker å flytte dataene mine til en annen leverandør.", ("portability",)),
    # objection
    ("Jeg protesterer mot at dere bruker opplysningene mine til profilering.", ("objection",)),
    ("Jeg motsetter meg at dere bruker dataene mine til markedsføring.", ("objection",)),
    # marketing_optout
    ("Slett meg fra nyhetsbrevet.", ("marketing_optout",)),
    ("Meld meg av nyhetsbrevet.", ("marketing_optout",)),
    ("Ikke ring meg mer.", ("marketing_optout",)),
    ("Jeg vil ikke ha flere nyhetsbrev.", ("marketing_optout",)),
    ("Slutt å sende meg reklame.", ("marketing_optout",)),
    ("Jeg ønsker ikke at modtage flere nyhedsbreve.", ("marketing_optout",)),
    ("Stop med at sende mig reklamer.", ("marketing_optout",)),
    ("Jeg vil ikke motta flere e-poster fra dere.", ("marketing_optout",)),
    ("Slutt å ringe meg.", ("marketing_optout",)),
    ("Avslutt abonnementet på nyhetsbrevet.", ("marketing_optout",)),
    # consent_withdrawal
    ("Jeg trekker tilbake samtykket mitt.", ("consent_withdrawal",)),
    ("Jeg trekker tilbake mitt samtykke.", ("consent_withdrawal",)),
    ("Jeg trekker samtykket mitt tilbake.", ("consent_withdrawal",)),
    # complaint
    ("Jeg vil klage til Datatilsynet.", ("complaint",)),
    ("Jeg vil sende en klage til Datatilsynet.", ("complaint",)),
    ("Jeg har klaget til Datatilsynet.", ("complaint",)),
    ("Jeg kommer til å klage til Datatilsynet hvis jeg ikke får svar.", ("complaint",)),
    # question
    ("Hvor lenge lagrer dere opplysningene mine?", ("question",)),
]


NORWEGIAN_NEGATIVE: list[Case] = [
    ("Kan dere sende meg fakturaen på nytt?", ("other",)),
    ("Kan dere slette den doble fakturaen?", ("other",)),
    ("Vi må slette brukerkontoene til de ansatte som har sluttet.", ("other",)),
    ("Kan dere endre leveringsdatoen?", ("other",)),
]


DANISH: list[Case] = [
    # erasure
    ("Slet mine oplysninger.", ("erasure",)),
    ("Luk min konto og slet mine data.", ("erasure",)),
    ("Jeg vil gerne slettes fra jeres system.", ("erasure",)),
    ("Slet venligst alle mine oplysninger.", ("erasure",)),
    ("Jeg ønsker at blive slettet fra jeres kundedatabase.", ("erasure",)),
    # access
    ("Send mig en kopi af de oplysninger, I har om mig.", ("access",)),
    ("Hvilke oplysninger har I registreret om mig?", ("access",)),
    ("Jeg vil gerne vide, hvilke oplysninger I har om mig.", ("access",)),
    ("Send mig venligst en kopi af mine personoplysninger.", ("access",)),
    ("Jeg vil gerne se mine oplysninger.", ("access",)),
    # rectification
    ("Mit navn er stavet forkert.", ("rectification",)),
    ("Ret venligst min adresse.", ("rectification",)),
    ("Mit telefonnummer er ændret.", ("rectification",)),
    # restriction
    ("Begræns behandlingen af mine oplysninger, indtil sagen er afklaret.", ("restriction",)),
    # portability
    ("Overfør mine data til en ny udbyder.", ("portability",)),
    ("Jeg vil gerne flytte mine data til en anden leverandør.", ("portability",)),
    # objection
    ("Jeg gør indsigelse mod jeres profilering af mig.", ("objection",)),
    ("Jeg gør indsigelse mod behandlingen af mine oplysninger.", ("objection",)),
    # marketing_optout
    ("Slet mig fra jeres nyhedsbrev.", ("marketing_optout",)),
    ("Afmeld mig jeres nyhedsbrev.", ("marketing_optout",)),
    ("Jeg vil ikke modtage flere mails fra jer.", ("marketing_optout",)),
    ("Stop med at ringe til mig.", ("marketing_optout",)),
    # consent_withdrawal
    ("Jeg trækker mit samtykke tilbage.", ("consent_withdrawal",)),
    ("Jeg tilbagekalder mit samtykke.", ("consent_withdrawal",)),
    ("Jeg trækker hermed mit samtykke tilbage.", ("consent_withdrawal",)),
    # complaint
    ("Jeg klager til Datatilsynet over jer.", ("complaint",)),
    ("Jeg har indgivet en klage til Datatilsynet.", ("complaint",)),
    ("Jeg vil indgive en klage til Datatilsynet.", ("complaint",)),
    # question
    ("Hvor længe gemmer I mine oplysninger?", ("question",)),
]


DANISH_NEGATIVE: list[Case] = [
    ("Kan I slette den dobbelte faktura?", ("other",)),
    ("Vi skal slette brugerkontiene for de medarbejdere, der er stoppet.", ("other",)),
    ("Kan I ændre leveringsdatoen?", ("other",)),
]

FINNISH: list[Case] = [
    # erasure
    ("Poistakaa tietoni.", ("erasure",)),
    ("Haluan että poistatte kaikki tietoni.", ("erasure",)),
    ("Pyydän poistamaan henkilötietoni rekisteristänne.", ("erasure",)),
    ("Sulkekaa tilini ja poistakaa tiedot.", ("erasure",)),
    ("Poistakaa kaikki minua koskevat tiedot.", ("erasure",)),
    ("Haluan, että tietoni poistetaan.", ("erasure",)),
    ("Pyydän tietojeni poistamista.", ("erasure",)),
    ("Poista tilini.", ("erasure",)),
    ("Voisitteko poistaa henkilötietoni järjestelmästänne?", ("erasure",)),
    ("Haluan että poistatte minut rekisteristänne.", ("erasure",)),
    ("Pyydän poistamaan tilini ja kaikki tietoni.", ("erasure",)),
    ("Hävittäkää hakemukseni ja CV:ni.", ("erasure",)),
    ("Poista kaikki tietoni, kiitos.", ("erasure",)),
    ("Haluaisin, että tilini ja siihen liittyvät tiedot poistetaan.", ("erasure",)),
    ("Voitteko poistaa minut asiakasrekisteristänne?", ("erasure",)),
    ("Pyydän, että henkilötietoni hävitetään.", ("erasure",)),
    ("Haluan, että kaikki tietoni poistetaan järjestelmästänne.", ("erasure",)),
    ("Voisitteko poistaa tietoni?", ("erasure",)),
    ("Poistakaa henkilötietoni ja sulkekaa asiakastilini.", ("erasure",)),
    ("Haluan että tilini suljetaan ja tiedot poistetaan.", ("erasure",)),
    # access
    ("Lähettäkää minulle kopio tiedoistani.", ("access",)),
    ("Haluan tietää, mitä tietoja teillä on minusta.", ("access",)),
    ("Haluan nähdä kaikki tiedot, joita teillä on minusta.", ("access",)),
    ("Pyydän kopiota henkilötiedoistani.", ("access",)),
    ("Lähettäkää minulle tiedot, joita olette tallentaneet minusta.", ("access",)),
    ("Haluaisin tarkastaa tietoni.", ("access",)),
    ("Pyydän saada pääsyn henkilötietoihini.", ("access",)),
    ("Lähetä minulle kaikki tietoni.", ("access",)),
    ("Voisitteko kertoa, mitä tietoja minusta on tallennettu?", ("access",)),
    ("Pyydän saada nähdä minusta tallennetut tiedot.", ("access",)),
    ("Haluan käyttää tarkastusoikeuttani.", ("access",)),
    ("Haluan saada tietää, mitä henkilötietoja minusta käsittelette.", ("access",)),
    ("Voitteko lähettää minulle kopion tiedoistani?", ("access",)),
    ("Pyydän pääsyä tietoihini.", ("access",)),
    # rectification
    ("Osoitteeni on väärä, korjatkaa se.", ("rectification",)),
    ("Nimeni on kirjoitettu väärin.", ("rectification",)),
    ("Pyydän korjaamaan osoitteeni.", ("rectification",)),
    ("Päivittäkää puhelinnumeroni.", ("rectification",)),
    ("Sähköpostiosoitteeni on muuttunut.", ("rectification",)),
    ("Korjatkaa sukunimeni, se on kirjoitettu väärin.", ("rectification",)),
    ("Päivittäkää osoitteeni, olen muuttanut.", ("rectification",)),
    ("Puhelinnumeroni on vaihtunut.", ("rectification",)),
    ("Haluan, että korjaatte nimeni.", ("rectification",)),
    ("Tietoni ovat virheelliset, korjatkaa ne.", ("rectification",)),
    ("Osoitteeni on vanhentunut.", ("rectification",)),
    # restriction
    ("Rajoittakaa tietojeni käsittelyä, kunnes asia on selvitetty.", ("restriction",)),
    ("Älkää käyttäkö tietojani, ennen kuin asia on selvitetty.", ("restriction",)),
    ("Rajoittakaa tietojeni käyttöä siihen asti, kunnes asia on selvitetty.", ("restriction",)),
    # portability
    ("Siirtäkää tietoni toiselle palveluntarjoajalle.", ("portability",)),
    ("Haluan siirtää tietoni toiseen palveluun.", ("portability",)),
    ("Lähettäkää tietoni koneluettavassa muodossa.", ("portability",)),
    ("Haluan tietoni koneluettavassa muodossa.", ("portability",)),
    ("Siirtäkää tietoni uudelle palveluntarjoajalle.", ("portability",)),
    ("Haluan siirtää tietoni toiselle yritykselle.", ("portability",)),
    # objection
    ("Vastustan tietojeni käyttöä profilointiin.", ("objection",)),
    ("Vastustan profilointia.", ("objection",)),
    ("Vastustan tietojeni käsittelyä oikeutetun edun perusteella.", ("objection",)),
    ("Vastustan tietojeni käyttöä suoramarkkinointiin ja profilointiin.", ("objection",)),
    # marketing_optout
    ("En halua enää uutiskirjettä.", ("marketing_optout",)),
    ("Älkää soittako minulle enää.", ("marketing_optout",)),
    ("Lopettakaa uutiskirjeiden lähettäminen minulle.", ("marketing_optout",)),
    ("En halua enää mainoksia.", ("marketing_optout",)),
    ("Poistakaa minut postituslistalta.", ("marketing_optout",)),
    ("Älkää lähettäkö minulle enää markkinointiviestejä.", ("marketing_optout",)),
    ("Lopeta markkinointiviestien lähettäminen.", ("marketing_optout",)),
    ("En halua enää sähköposteja teiltä.", ("marketing_optout",)),
    ("Haluan perua uutiskirjeen tilauksen.", ("marketing_optout",)),
    ("Älkää enää soittako minulle myyntipuheluita.", ("marketing_optout",)),
    ("Haluan, että lopetatte markkinoinnin minulle.", ("marketing_optout",)),
    ("Poistakaa sähköpostiosoitteeni postituslistaltanne.", ("marketing_optout",)),
    ("En halua enää tekstiviestejä teiltä.", ("marketing_optout",)),
    # consent_withdrawal
    ("Peruutan suostumukseni.", ("consent_withdrawal",)),
    ("Peruutan antamani suostumuksen.", ("consent_withdrawal",)),
    ("Haluan perua suostumukseni.", ("consent_withdrawal",)),
    ("Perun suostumukseni tietojeni käsittelyyn.", ("consent_withdrawal",)),
    ("Haluan peruuttaa suostumukseni.", ("consent_withdrawal",)),
    # complaint
    ("Teen valituksen tietosuojavaltuutetulle.", ("complaint",)),
    ("Teen asiasta valituksen tietosuojavaltuutetun toimistoon.", ("complaint",)),
    ("Aion tehdä kantelun tietosuojavaltuutetulle.", ("complaint",)),
    ("Teen valituksen tietosuojavaltuutetulle, jos en saa vastausta.", ("complaint",)),
    # question
    ("Kuinka kauan säilytätte tietojani?", ("question",)),
]


FINNISH_NEGATIVE: list[Case] = [
    ("Lähettäkää lasku uudelleen.", ("other",)),
    ("Lähettäkää minulle uusi lasku.", ("other",)),
    ("Voitteko poistaa tuplavarauksen?", ("other",)),
    ("Voitteko lähettää tilausvahvistuksen uudelleen?", ("other",)),
    ("Poistakaa vanhat testikäyttäjät palvelimelta.", ("other",)),
]


GERMAN: list[Case] = [
    # erasure
    ("Ich möchte, dass Sie meine Daten löschen.", ("erasure",)),
    ("Bitte löschen Sie mein Konto.", ("erasure",)),
    ("Proszę o usunięcie moich danych.", ("erasure",)),
    ("Löschen Sie bitte alle meine personenbezogenen Daten.", ("erasure",)),
    ("Ich beantrage die Löschung meines Kontos.", ("erasure",)),
    ("Bitte entfernen Sie mich aus Ihrer Datenbank.", ("erasure",)),
    ("Ich möchte, dass mein Benutzerkonto gelöscht wird.", ("erasure",)),
    ("Bitte löschen Sie meinen Account.", ("erasure",)),
    ("Löschen Sie mich aus Ihrem System.", ("erasure",)),
    ("Bitte entfernen Sie meine Daten vollständig.", ("erasure",)),
    ("Ich fordere Sie auf, meine personenbezogenen Daten zu löschen.", ("erasure",)),
    ("Mein Kundenkonto soll gelöscht werden.", ("erasure",)),
    # access
    ("Bitte senden Sie mir eine Kopie meiner Daten.", ("access",)),
    ("Ich verlange Auskunft über meine gespeicherten Daten.", ("access",)),
    ("Ich möchte wissen, welche Daten Sie über mich gespeichert haben.", ("access",)),
    ("Bitte schicken Sie mir eine Kopie aller Daten, die Sie über mich haben.", ("access",)),
    ("Ich mache von meinem Auskunftsrecht Gebrauch.", ("access",)),
    ("Welche Daten haben Sie über mich?", ("access",)),
    ("Ich bitte um Auskunft über die zu meiner Person gespeicherten Daten.", ("access",)),
    ("Schicken Sie mir bitte alle Daten, die Sie zu mir gespeichert haben.", ("access",)),
    # rectification
    ("Meine Adresse ist falsch, bitte korrigieren Sie sie.", ("rectification",)),
    ("Mein Name ist falsch geschrieben.", ("rectification",)),
    ("Bitte ändern Sie meine Adresse.", ("rectification",)),
    ("Meine Telefonnummer hat sich geändert.", ("rectification",)),
    ("Bitte korrigieren Sie meinen Nachnamen.", ("rectification",)),
    ("Meine E-Mail-Adresse hat sich geändert.", ("rectification",)),
    ("Sie haben meine Adresse falsch gespeichert.", ("rectification",)),
    # restriction
    (
        "Bitte schränken Sie die Verarbeitung meiner Daten ein, bis alles geklärt ist.",
        ("restriction",),
    ),
    ("Bitte sperren Sie meine Daten, bis die Sache geklärt ist.", ("restriction",)),
    ("Bitte schränken Sie die Nutzung meiner Daten ein.", ("restriction",)),
    ("Bitte sperren Sie meine Daten vorerst.", ("restriction",)),
    # portability
    ("Bitte übertragen Sie meine Daten an einen neuen Anbieter.", ("portability",)),
    ("Ich möchte meine Daten zu einem anderen Anbieter mitnehmen.", ("portability",)),
    ("Bitte exportieren Sie meine Daten als CSV.", ("portability",)),
    ("Bitte übermitteln Sie meine Daten an meinen neuen Anbieter.", ("portability",)),
    # objection
    ("Ich widerspreche der Verarbeitung meiner Daten.", ("objection",)),
    ("Ich widerspreche der Nutzung meiner Daten für Werbezwecke.", ("objection",)),
    ("Ich lege Widerspruch gegen das Profiling ein.", ("objection",)),
    ("Ich widerspreche der Verwendung meiner Daten für Werbung.", ("objection",)),
    # marketing_optout
    ("Bitte tragen Sie mich aus dem Newsletter aus.", ("marketing_optout",)),
    ("Ich will nicht mehr angerufen werden.", ("marketing_optout",)),
    ("Ich möchte keine Werbung mehr erhalten.", ("marketing_optout",)),
    ("Bitte melden Sie mich vom Newsletter ab.", ("marketing_optout",)),
    ("Bitte keine Werbeanrufe mehr.", ("marketing_optout",)),
    ("Bitte schicken Sie mir keine Newsletter mehr.", ("marketing_optout",)),
    ("Ich möchte keine Werbe-E-Mails mehr bekommen.", ("marketing_optout",)),
    ("Rufen Sie mich bitte nicht mehr an.", ("marketing_optout",)),
    ("Streichen Sie mich aus Ihrem Verteiler.", ("marketing_optout",)),
    # consent_withdrawal
    ("Ich widerrufe meine Einwilligung.", ("consent_withdrawal",)),
    ("Ich ziehe meine Einwilligung zurück.", ("consent_withdrawal",)),
    ("Hiermit widerrufe ich meine Einwilligung zur Datenverarbeitung.", ("consent_withdrawal",)),
    ("Meine Einwilligung zur Nutzung meiner Fotos widerrufe ich hiermit.", ("consent_withdrawal",)),
    # complaint
    ("Ich werde mich bei der Datenschutzbehörde beschweren.", ("complaint",)),
    ("Ich werde mich bei der Aufsichtsbehörde beschweren.", ("complaint",)),
    ("Ich habe Beschwerde bei der Datenschutzbehörde eingereicht.", ("complaint",)),
    ("Ich werde Beschwerde bei der zuständigen Aufsichtsbehörde einlegen.", ("complaint",)),
    # question
    ("Wie lange speichern Sie meine Daten?", ("question",)),
]


GERMAN_NEGATIVE: list[Case] = [
    ("Bitte löschen Sie die doppelte Rechnung.", ("other",)),
    ("Bitte schicken Sie mir die Rechnung noch einmal.", ("other",)),
    ("Bitte ändern Sie den Liefertermin.", ("other",)),
    ("Bitte ändern Sie die Lieferadresse für Bestellung 4711.", ("other",)),
]


POLISH: list[Case] = [
    # erasure
    ("Proszę usunąć moje dane osobowe.", ("erasure",)),
    ("Usuńcie moje konto.", ("erasure",)),
    ("Merci de supprimer mes données.", ("erasure",)),
    ("Proszę usunąć moje konto.", ("erasure",)),
    ("Żądam usunięcia wszystkich moich danych osobowych.", ("erasure",)),
    ("Proszę o usunięcie mnie z bazy danych.", ("erasure",)),
    ("Chcę, żebyście usunęli moje dane.", ("erasure",)),
    ("Proszę wykasować moje dane.", ("erasure",)),
    ("Usuńcie wszystkie informacje o mnie.", ("erasure",)),
    ("Usuń moje dane.", ("erasure",)),
    ("Skasujcie moje konto i wszystkie dane.", ("erasure",)),
    ("Proszę o trwałe usunięcie moich danych z waszego systemu.", ("erasure",)),
    ("Chciałabym, abyście usunęli wszystkie moje dane osobowe.", ("erasure",)),
    ("Proszę usunąć mnie z bazy.", ("erasure",)),
    ("Żądam usunięcia danych.", ("erasure",)),
    ("Chcę, żeby moje dane zostały usunięte.", ("erasure",)),
    ("Proszę o skasowanie mojego konta.", ("erasure",)),
    ("Domagam się usunięcia moich danych osobowych.", ("erasure",)),
    # access
    ("Chcę otrzymać kopię moich danych.", ("access",)),
    ("Proszę o informację, jakie dane na mój temat przetwarzacie.", ("access",)),
    ("Proszę o przesłanie kopii moich danych osobowych.", ("access",)),
    ("Chciałbym wiedzieć, jakie dane o mnie przechowujecie.", ("access",)),
    ("Żądam dostępu do moich danych.", ("access",)),
    ("Proszę o udostępnienie moich danych.", ("access",)),
    ("Prześlijcie mi kopię moich danych.", ("access",)),
    ("Proszę mi wysłać informację, jakie dane o mnie posiadacie.", ("access",)),
    ("Chcę wiedzieć, jakie moje dane przetwarzacie.", ("access",)),
    ("Proszę o udostępnienie kopii danych, które przechowujecie na mój temat.", ("access",)),
    ("Proszę o kopię danych osobowych, które przetwarzacie.", ("access",)),
    ("Chciałbym otrzymać informację o tym, jakie dane na mój temat posiadacie.", ("access",)),
    # rectification
    ("Mój adres jest błędny, proszę go poprawić.", ("rectification",)),
    ("Proszę poprawić moje nazwisko.", ("rectification",)),
    ("Mój numer telefonu jest nieaktualny.", ("rectification",)),
    ("Proszę o sprostowanie moich danych.", ("rectification",)),
    ("Proszę zaktualizować mój adres e-mail.", ("rectification",)),
    ("Proszę zmienić mój adres na ul. Długa 5, Gdańsk.", ("rectification",)),
    ("Moje nazwisko jest źle napisane.", ("rectification",)),
    ("Mój numer telefonu się zmienił.", ("rectification",)),
    ("Poprawcie proszę moje dane, bo są nieaktualne.", ("rectification",)),
    ("Moje dane są błędne, proszę je poprawić.", ("rectification",)),
    ("Proszę o aktualizację mojego adresu.", ("rectification",)),
    # restriction
    ("Proszę ograniczyć przetwarzanie moich danych do czasu wyjaśnienia sprawy.", ("restriction",)),
    ("Proszę o ograniczenie przetwarzania moich danych.", ("restriction",)),
    ("Proszę wstrzymać przetwarzanie moich danych do czasu rozpatrzenia sprawy.", ("restriction",)),
    ("Proszę zablokować moje dane do czasu wyjaśnienia.", ("restriction",)),
    ("Wnoszę o ograniczenie przetwarzania moich danych.", ("restriction",)),
    # portability
    ("Proszę o przeniesienie moich danych do innego dostawcy.", ("portability",)),
    ("Chcę przenieść swoje dane do innej firmy.", ("portability",)),
    ("Proszę o przesłanie moich danych w formacie CSV.", ("portability",)),
    ("Proszę przesłać moje dane do nowego dostawcy.", ("portability",)),
    ("Proszę o przekazanie moich danych innemu administratorowi.", ("portability",)),
    # objection
    ("Sprzeciwiam się profilowaniu.", ("objection",)),
    ("Wnoszę sprzeciw wobec przetwarzania moich danych.", ("objection",)),
    ("Nie zgadzam się na profilowanie.", ("objection",)),
    ("Sprzeciwiam się przetwarzaniu moich danych w celach marketingowych.", ("objection",)),
    ("Nie wyrażam zgody na profilowanie moich danych.", ("objection",)),
    # marketing_optout
    ("Proszę o wypisanie mnie z newslettera.", ("marketing_optout",)),
    ("Proszę do mnie więcej nie dzwonić.", ("marketing_optout",)),
    ("Proszę przestać wysyłać mi newslettery.", ("marketing_optout",)),
    ("Nie chcę otrzymywać więcej reklam.", ("marketing_optout",)),
    ("Proszę o usunięcie mnie z listy mailingowej.", ("marketing_optout",)),
    ("Rezygnuję z newslettera.", ("marketing_optout",)),
    ("Przestańcie wysyłać mi reklamy.", ("marketing_optout",)),
    ("Wypiszcie mnie z newslettera.", ("marketing_optout",)),
    ("Proszę nie wysyłać mi więcej ofert.", ("marketing_optout",)),
    ("Nie dzwońcie do mnie więcej.", ("marketing_optout",)),
    ("Nie życzę sobie otrzymywania ofert handlowych.", ("marketing_optout",)),
    ("Proszę o zaprzestanie wysyłania mi newslettera.", ("marketing_optout",)),
    ("Wypisuję się z newslettera.", ("marketing_optout",)),
    # consent_withdrawal
    ("Wycofuję zgodę na przetwarzanie moich danych.", ("consent_withdrawal",)),
    ("Cofam zgodę na przetwarzanie moich danych.", ("consent_withdrawal",)),
    ("Wycofuję swoją zgodę.", ("consent_withdrawal",)),
    ("Odwołuję zgodę na otrzymywanie newslettera.", ("consent_withdrawal",)),
    ("Wycofuję zgodę na wykorzystanie mojego wizerunku.", ("consent_withdrawal",)),
    ("Cofam zgodę na przetwarzanie danych w celach marketingowych.", ("consent_withdrawal",)),
    # complaint
    ("Złożę skargę do UODO.", ("complaint",)),
    ("Złożę skargę do Prezesa UODO.", ("complaint",)),
    ("Złożyłem skargę do UODO.", ("complaint",)),
    ("Jeśli nie otrzymam odpowiedzi, złożę skargę do UODO.", ("complaint",)),
    # question
    ("Jak długo przechowujecie moje dane?", ("question",)),
]


POLISH_NEGATIVE: list[Case] = [
    ("Proszę o przesłanie faktury za marzec.", ("other",)),
    ("Proszę o przesłanie faktury korygującej.", ("other",)),
    ("Proszę usunąć duplikat zamówienia.", ("other",)),
    ("Proszę o wysłanie duplikatu faktury.", ("other",)),
    ("Chcę złożyć reklamację na pralkę.", ("other",)),
    ("Proszę przekazać moje pozdrowienia zespołowi.", ("other",)),
]


FRENCH: list[Case] = [
    # erasure
    ("Je souhaite que vous effaciez mon compte.", ("erasure",)),
    ("Por favor, borren mis datos.", ("erasure",)),
    ("Quiero que eliminen mi cuenta.", ("erasure",)),
    ("Veuillez supprimer toutes mes données personnelles.", ("erasure",)),
    ("Je demande la suppression de mon compte.", ("erasure",)),
    ("Effacez mes informations, s'il vous plaît.", ("erasure",)),
    ("Je voudrais que vous supprimiez mon compte client.", ("erasure",)),
    ("Merci de m'effacer de votre base de données.", ("erasure",)),
    ("Supprimez mon compte, s'il vous plaît.", ("erasure",)),
    ("Je veux que mes données soient effacées.", ("erasure",)),
    ("Pouvez-vous supprimer toutes les informations me concernant ?", ("erasure",)),
    ("Je souhaite exercer mon droit à l'effacement.", ("erasure",)),
    # access
    ("Je voudrais obtenir une copie de mes données personnelles.", ("access",)),
    ("Je souhaite savoir quelles données vous détenez sur moi.", ("access",)),
    ("Merci de m'envoyer une copie de mes données.", ("access",)),
    ("J'exerce mon droit d'accès.", ("access",)),
    ("Quelles données avez-vous sur moi ?", ("access",)),
    ("Envoyez-moi une copie de mes données personnelles.", ("access",)),
    ("Je souhaite accéder à mes données personnelles.", ("access",)),
    # rectification
    ("Mon adresse est erronée, merci de la corriger.", ("rectification",)),
    ("Mon nom est mal orthographié.", ("rectification",)),
    ("Merci de mettre à jour mon adresse.", ("rectification",)),
    ("Veuillez corriger mon numéro de téléphone.", ("rectification",)),
    ("Veuillez modifier mon adresse e-mail.", ("rectification",)),
    ("Mon numéro de téléphone a changé.", ("rectification",)),
    ("Mes informations sont incorrectes, merci de les corriger.", ("rectification",)),
    # restriction
    ("Je demande la limitation du traitement de mes données.", ("restriction",)),
    ("Merci de geler mes données jusqu'à la fin de l'enquête.", ("restriction",)),
    (
        "Merci de suspendre le traitement de mes données en attendant votre vérification.",
        ("restriction",),
    ),
    # portability
    (
        "Je souhaite récupérer mes données pour les transférer à un autre fournisseur.",
        ("portability",),
    ),
    ("Je souhaite la portabilité de mes données.", ("portability",)),
    ("Je souhaite transférer mes données vers un autre prestataire.", ("portability",)),
    # objection
    ("Je m'oppose au profilage.", ("objection",)),
    ("Je m'oppose au traitement de mes données à des fins de prospection.", ("objection",)),
    ("Je m'oppose à l'utilisation de mes données à des fins commerciales.", ("objection",)),
    # marketing_optout
    ("Veuillez me désinscrire de la newsletter.", ("marketing_optout",)),
    ("Ne m'appelez plus.", ("marketing_optout",)),
    ("Je ne veux plus recevoir vos e-mails publicitaires.", ("marketing_optout",)),
    ("Merci de me retirer de votre liste de diffusion.", ("marketing_optout",)),
    ("Arrêtez de m'envoyer des offres.", ("marketing_optout",)),
    ("Je ne souhaite plus recevoir votre newsletter.", ("marketing_optout",)),
    ("Arrêtez de m'appeler.", ("marketing_optout",)),
    ("Désabonnez-moi de vos e-mails.", ("marketing_optout",)),
    # consent_withdrawal
    ("Je retire mon consentement.", ("consent_withdrawal",)),
    ("Je retire mon consentement au traitement de mes données.", ("consent_withdrawal",)),
    ("Je retire mon accord pour l'utilisation de ma photo.", ("consent_withdrawal",)),
    ("Je retire mon consentement pour l'utilisation de mes photos.", ("consent_withdrawal",)),
    # complaint
    ("Je vais porter plainte auprès de la CNIL.", ("complaint",)),
    ("Je vais déposer une plainte auprès de la CNIL.", ("complaint",)),
    ("J'ai déposé une réclamation auprès de la CNIL.", ("complaint",)),
    ("Si je n'ai pas de réponse, je saisirai la CNIL.", ("complaint",)),
    # question
    ("Combien de temps conservez-vous mes données ?", ("question",)),
]


FRENCH_NEGATIVE: list[Case] = [
    ("Merci de m'envoyer le devis pour les licences.", ("other",)),
    ("Merci de m'envoyer la facture de mars.", ("other",)),
    ("Pouvez-vous supprimer la commande en double ?", ("other",)),
    ("Merci de modifier la date de livraison.", ("other",)),
]


SPANISH: list[Case] = [
    # erasure
    ("Solicito la supresión de mis datos personales.", ("erasure",)),
    ("Quiero que borren toda mi información.", ("erasure",)),
    ("Eliminen mi cuenta, por favor.", ("erasure",)),
    ("Por favor, bórrenme de su base de datos.", ("erasure",)),
    ("Borren mi cuenta y todos mis datos.", ("erasure",)),
    ("Quiero que me eliminen de su base de datos.", ("erasure",)),
    ("Solicito que supriman mis datos personales.", ("erasure",)),
    ("Por favor, eliminen toda la información que tengan sobre mí.", ("erasure",)),
    ("Bórrenme de su base de datos.", ("erasure",)),
    ("Por favor eliminen mi número de teléfono.", ("erasure",)),
    # access
    ("Quiero una copia de mis datos.", ("access",)),
    ("Quiero saber qué datos tienen sobre mí.", ("access",)),
    ("Solicito una copia de mis datos personales.", ("access",)),
    ("Ejerzo mi derecho de acceso.", ("access",)),
    ("¿Qué datos personales tienen sobre mí?", ("access",)),
    ("Envíenme una copia de mis datos, por favor.", ("access",)),
    ("Quiero acceder a mis datos personales.", ("access",)),
    ("Envíenme una copia de mis datos.", ("access",)),
    # rectification
    ("Mi dirección es incorrecta, corríjanla por favor.", ("rectification",)),
    ("Mi nombre está mal escrito.", ("rectification",)),
    ("Por favor, actualicen mi dirección.", ("rectification",)),
    ("Quiero rectificar mi número de teléfono.", ("rectification",)),
    ("Por favor, corrijan mi apellido.", ("rectification",)),
    ("Mi número de teléfono ha cambiado.", ("rectification",)),
    ("Mis datos son incorrectos, por favor modifíquenlos.", ("rectification",)),
    # restriction
    ("Solicito la limitación del tratamiento de mis datos.", ("restriction",)),
    ("Solicito que bloqueen mis datos hasta que se resuelva la reclamación.", ("restriction",)),
    ("Suspendan el tratamiento de mis datos hasta que se aclare el asunto.", ("restriction",)),
    # portability
    ("Quiero portar mis datos a otro proveedor.", ("portability",)),
    ("Quiero la portabilidad de mis datos.", ("portability",)),
    ("Quiero transferir mis datos a otra compañía.", ("portability",)),
    # objection
    ("Me opongo al tratamiento de mis datos.", ("objection",)),
    ("Me opongo a la elaboración de perfiles.", ("objection",)),
    ("Me opongo a que usen mis datos para publicidad.", ("objection",)),
    # marketing_optout
    ("Denme de baja de la newsletter.", ("marketing_optout",)),
    ("No me llamen más.", ("marketing_optout",)),
    ("No quiero recibir más publicidad.", ("marketing_optout",)),
    ("Dejen de enviarme correos comerciales.", ("marketing_optout",)),
    ("Quiero darme de baja del boletín.", ("marketing_optout",)),
    ("No me envíen más correos publicitarios.", ("marketing_optout",)),
    ("Quiero dejar de recibir su boletín.", ("marketing_optout",)),
    ("Dejen de llamarme.", ("marketing_optout",)),
    ("Bórrenme de su lista de correo.", ("marketing_optout",)),
    ("Dejen de enviarme publicidad.", ("marketing_optout",)),
    # consent_withdrawal
    ("Retiro mi consentimiento.", ("consent_withdrawal",)),
    ("Retiro mi consentimiento para el tratamiento de mis datos.", ("consent_withdrawal",)),
    ("Retiro el consentimiento que les di.", ("consent_withdrawal",)),
    ("Revoco mi consentimiento para el uso de mis fotos.", ("consent_withdrawal",)),
    # complaint
    ("Presentaré una reclamación ante la AEPD.", ("complaint",)),
    ("Presentaré una denuncia ante la Agencia Española de Protección de Datos.", ("complaint",)),
    ("He presentado una queja ante la AEPD.", ("complaint",)),
    ("Si no recibo respuesta, presentaré una reclamación ante la AEPD.", ("complaint",)),
    # question
    ("¿Cuánto tiempo conservan mis datos?", ("question",)),
]


SPANISH_NEGATIVE: list[Case] = [
    ("Envíenme la factura de marzo, por favor.", ("other",)),
    ("¿Pueden cancelar el pedido duplicado?", ("other",)),
    ("¿Pueden cambiar la fecha de entrega?", ("other",)),
]

POSITIVE = [
    *[pytest.param(b, e, id=f"sv-{b[:40]}") for b, e in SWEDISH],
    *[pytest.param(b, e, id=f"en-{b[:40]}") for b, e in ENGLISH],
    *[pytest.param(b, e, id=f"no-{b[:40]}") for b, e in NORWEGIAN],
    *[pytest.param(b, e, id=f"da-{b[:40]}") for b, e in DANISH],
    *[pytest.param(b, e, id=f"fi-{b[:40]}") for b, e in FINNISH],
    *[pytest.param(b, e, id=f"de-{b[:40]}") for b, e in GERMAN],
    *[pytest.param(b, e, id=f"pl-{b[:40]}") for b, e in POLISH],
    *[pytest.param(b, e, id=f"fr-{b[:40]}") for b, e in FRENCH],
    *[pytest.param(b, e, id=f"es-{b[:40]}") for b, e in SPANISH],
]
NEGATIVE = [
    *[pytest.param(b, e, id=f"sv-{b[:40]}") for b, e in SWEDISH_NEGATIVE],
    *[pytest.param(b, e, id=f"en-{b[:40]}") for b, e in ENGLISH_NEGATIVE],
    *[pytest.param(b, e, id=f"no-{b[:40]}") for b, e in NORWEGIAN_NEGATIVE],
    *[pytest.param(b, e, id=f"da-{b[:40]}") for b, e in DANISH_NEGATIVE],
    *[pytest.param(b, e, id=f"fi-{b[:40]}") for b, e in FINNISH_NEGATIVE],
    *[pytest.param(b, e, id=f"de-{b[:40]}") for b, e in GERMAN_NEGATIVE],
    *[pytest.param(b, e, id=f"pl-{b[:40]}") for b, e in POLISH_NEGATIVE],
    *[pytest.param(b, e, id=f"fr-{b[:40]}") for b, e in FRENCH_NEGATIVE],
    *[pytest.param(b, e, id=f"es-{b[:40]}") for b, e in SPANISH_NEGATIVE],
]


def _check(intents: RuleSet, body: str, expected: tuple[str, ...]) -> None:
    result = classify_text("", body, intents)
    assert (result.intents[:1], set(result.intents)) == (expected[:1], set(expected)), (
        result.evidence
    )


@pytest.mark.parametrize(("body", "expected"), POSITIVE)
def test_request_is_read(intents: RuleSet, body: str, expected: tuple[str, ...]) -> None:
    """The main intent first and no other intent beside it."""
    _check(intents, body, expected)


@pytest.mark.parametrize(("body", "expected"), NEGATIVE)
def test_same_words_in_other_errands(
    intents: RuleSet, body: str, expected: tuple[str, ...]
) -> None:
    """IT work, invoices, bookings and thanks with the same words stay where they are."""
    _check(intents, body, expected)
