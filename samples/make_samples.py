#!/usr/bin/env python3
"""Builds samples/inbox/: the March 2025 scoreboards of a Brussels employment agency's directorates.

Content comes from seed 004 (the A4 mandate "Werkzoekenden - algemene diensten van de eerste lijn"
at Actiris): its strategic objectives SD1-SD3, transversal objectives TD1-TD5, their measure points
(meetpunten) and deadlines (tijdschema). Files are written the way the real senders would:
openpyxl for .xlsx, xlwt for .xls, odfpy for .ods, and Excel-style Belgian CSV (';', Windows-1252,
decimal commas). Deliberately bad cells are listed in samples/README.md.

Run from the repository root:  python3 samples/make_samples.py   (pip install openpyxl xlwt odfpy)
"""
import csv
import datetime as dt
import os
import random

import openpyxl
import xlwt
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableRow, TableCell
from odf.text import P

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "inbox")
D = dt.date


def path(*parts):
    p = os.path.join(OUT, *parts)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    return p


def xlsx(file, sheets):
    """sheets: list of (name, rows); a row is a list of values (None = empty)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets:
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, v in enumerate(row, start=1):
                if v is None:
                    continue
                cell = ws.cell(row=r, column=c, value=v)
                if isinstance(v, (dt.date, dt.datetime)):
                    cell.number_format = "DD/MM/YYYY"
        ws.column_dimensions["B"].width = 60
    wb.save(file)


DEL = "Eerste lijn Werkzoekenden"
CDD = "Contrôle de la disponibilité"
GOD = "Gespecialiseerde ondersteunende diensten"
DEB = "Externe Betrekkingen"
PO = "Personeel & Organisatie"

# --- Directie Werkzoekenden - eerste lijn: two monthly snapshots (February and March 2025) ---------
DEL_HEADER = ["Actie-ID", "Omschrijving", "Doelstelling", "Meetpunt", "Verantwoordelijke\ndirectie",
              "Tijdschema", "Stand van zaken", "Datum afgewerkt", "Voortgang", "Opmerking"]

DEL_MARCH = [
    ["DEL-01", "Indicatoren op het scorebord van het strategisch directiecomité maandelijks opvolgen", "SD1", "Meetpunt 1.1", DEL, "doorlopend", "Lopend", None, None, None],
    ["DEL-02", "Prioritaire acties met de grootste impact op de budgetten identificeren", "SD1", "Meetpunt 1.2", DEL, "Doorlopend", "Lopend", None, None, None],
    ["DEL-03", "Modulair dienstenaanbod op maat van de werkzoekende uitwerken", "SD2", "Meetpunt 2.1", DEL, 2025, "In uitvoering", None, 0.6, None],
    ["DEL-04", "Informatie-uitwisseling met alle partijen in het traject van de WZ optimaliseren", "SD2", "Meetpunt 2.2", DEL, "Q2 2025", "Lopend", None, "40%", None],
    ["DEL-05", "Taal-, digitale en beroepsvaardigheden systematisch evalueren (competentiebalans)", "SD2", "Meetpunt 2.4", DEL, "maart 2025", "Afgewerkt", D(2025, 3, 28), 1, None],
    ["DEL-06", "Deelnemen aan 2 pilootprojecten met langdurig werkzoekenden (knelpuntberoepen)", "SD2", "Meetpunt 2.5", DEL, "december 2024", "Afgewerkt", D(2025, 1, 15), 1, "Tweede project later gestart"],
    ["DEL-07", "Interne procedures voor de monitoring met de directie Controle van de beschikbaarheid + nota", "SD3", "Meetpunt 3.2", DEL, "december 2025", "Lopend", None, "35 %", "Deadline verschoven"],
    ["DEL-08", "Scorebord gedeelde verantwoordelijkheid voorleggen aan het Comité voor Strategische Ontwikkeling", "SD3", "Meetpunt 3.3", DEL, D(2025, 3, 15), "Lopend", None, 0.8, None],
    ["DEL-09", "Monitoringtabel halfjaarlijks aan de Directieraad presenteren", "SD3", "Meetpunt 3.2", DEL, "doorlopend vanaf maart 2025", "Lopend", None, None, None],
    ["DEL-10", "Kwaliteit van gegevens en digitale instrumenten voor werkzoekenden verbeteren", "TD1", "Meetpunt 1.1", DEL, "S1 2025", "Lopend", None, 0.5, None],
    ["DEL-11", "Wachttijden aan het loket verkorten (contactpunten WZ)", "TD1", "Meetpunt 1.2", DEL, "K1 2025", "Afgewerkt", D(2025, 3, 20), 1, None],
    ["DEL-12", "Terugkeergesprekken na ziekte systematisch voeren", "TD2", "Meetpunt 2.2", DEL, "doorlopend", "Lopend", None, None, None],
    ["DEL-13", "OPTIris: projectvoorstellen voor de eigen thema's uitwerken", "TD5", "OPTIris KPI 1", DEL, "einde mandaat", "Lopend", None, None, None],
    ["DEL-14", "Onthaalbrochure voor nieuwe werkzoekenden herwerken", "TD1", "Meetpunt 1.2", DEL, "april 2025", "bijna klaar", None, 0.9, "ONGELDIGE STATUS (opzettelijk)"],
    ["DEL-15", "Klachtenprocedure loket evalueren", "TD1", "Meetpunt 1.2", DEL, "asap", "Lopend", None, None, "ONGELDIGE DEADLINE (opzettelijk)"],
    ["DEL-16", "Nieuwe afsprakenplanning telefonisch onthaal", "TD1", "Meetpunt 1.2", DEL, "februari 2025", "Afgewerkt", "31/02/2025", "veel", "ONGELDIGE DATUM (opzettelijk)"],
    [None, "Actie zonder nummer", "SD2", None, DEL, "juni 2025", "Lopend", None, None, "GEEN ACTIE-ID (opzettelijk)"],
]

DEL_FEB = [
    r[:] for r in DEL_MARCH[:13]
]
for r in DEL_FEB:
    if r[0] == "DEL-05":
        r[6], r[7], r[8] = "Lopend", None, 0.7
    if r[0] == "DEL-07":
        r[5], r[9] = D(2025, 6, 30), None
    if r[0] == "DEL-11":
        r[6], r[7], r[8] = "Lopend", None, 0.6
DEL_FEB.append(["DEL-17", "Werkgroep onthaal nieuwe werkzoekenden opstarten", "SD2", "Meetpunt 2.3", DEL, "januari 2025", "Lopend", None, 0.5, "Niet meer gerapporteerd in maart"])


def title_rows(title, subtitle):
    return [[title], [subtitle], []]


xlsx(path("eerste-lijn", "scorebord_DEL_2025-02.xlsx"), [
    ("Scorebord", title_rows("Scorebord operationeel plan 2025 – Directie Werkzoekenden, eerste lijn", "Stand van zaken februari 2025") + [DEL_HEADER] + DEL_FEB),
])
xlsx(path("eerste-lijn", "scorebord_DEL_2025-03.xlsx"), [
    ("Scorebord", title_rows("Scorebord operationeel plan 2025 – Directie Werkzoekenden, eerste lijn", "Stand van zaken maart 2025") + [DEL_HEADER] + DEL_MARCH
     + [["Totaal", None, None, None, None, None, None, None, None, "17 acties"]]),
    ("Toelichting", [["Toelichting"], ["Dit scorebord volgt de meetpunten van het mandaat A4 (seed 004)."], ["Statussen: Niet gestart, Lopend, Afgewerkt, Uitgesteld, Geannuleerd."]]),
])

# --- Direction Contrôle de la disponibilité: French scoreboard, real date cells, an #N/A cell -----
CDD_HEADER = ["N° action", "Intitulé", "Objectif", "Point de mesure", "Direction responsable", "Échéance", "Statut", "Date de réalisation", "Avancement"]
CDD_ROWS = [
    ["CDD-01", "Analyser l'impact des décisions de la direction sur les autres directions opérationnelles", "SD3", "Point de mesure 3.1", CDD, "en continu", "En cours", None, None],
    ["CDD-02", "Procédures internes de coordination du suivi des chercheurs d'emploi", "SD3", "Point de mesure 3.2", CDD, D(2025, 2, 28), "Terminé", D(2025, 2, 27), 1],
    ["CDD-03", "Note de synthèse des procédures internes au Comité de direction", "SD3", "Point de mesure 3.2", CDD, "T1 2025", "Terminé", D(2025, 4, 2), 1],
    ["CDD-04", "Tableau de suivi présenté au Conseil de direction", "SD3", "Point de mesure 3.2", CDD, "semestriel", "En cours", None, None],
    ["CDD-05", "Former les conseillers au nouveau cadre du contrôle de la disponibilité", "TD2", "Point de mesure 2.1", CDD, "février 2025", "En cours", None, 0.75],
    ["CDD-06", "Réduire l'empreinte papier des convocations", "TD3", "Point de mesure 3.1", CDD, "2025", "Non commencé", None, 0],
    ["CDD-07", "Projet pilote OPTIris : dématérialisation des preuves de recherche d'emploi", "TD5", "OPTIris KPI 1", CDD, "fin de mandat", "Abandonné", None, None],
    ["CDD-08", "Harmoniser les courriers de convocation avec la première ligne", "SD3", "Point de mesure 3.2", CDD, D(2025, 1, 31), "Réalisé", D(2025, 2, 10), "#N/A"],
]
xlsx(path("tableau_de_bord_CDD_mars-2025.xlsx"), [
    ("Tableau de bord", [["Tableau de bord – Direction Contrôle de la disponibilité"], ["Situation au 31 mars 2025"], [], CDD_HEADER] + CDD_ROWS),
])

# --- Gespecialiseerde ondersteunende diensten: an Excel 97-2003 .xls with a baseline column -----
GOD_HEADER = ["Actienummer", "Beschrijving", "Strategische doelstelling", "Meetpunt", "Dienst", "Tijdschema", "Stand van zaken", "Gerealiseerd op", "Oorspronkelijke deadline"]
GOD_ROWS = [
    ["GOD-01", "Coördinatie tussen de eerste lijn en de gespecialiseerde ondersteunende diensten", "SD2", "Meetpunt 2.3", GOD, "doorlopend", "Lopend", None, None],
    ["GOD-02", "Gezamenlijk draaiboek voor doorverwijzing naar gespecialiseerde diensten", "SD2", "Meetpunt 2.3", GOD, D(2025, 4, 30), "Lopend", None, D(2025, 1, 31)],
    ["GOD-03", "Opleidingstrajecten koppelen aan de resultaten van de competentiebalans", "SD2", "Meetpunt 2.4", GOD, "Q1 2025", "Afgewerkt", D(2025, 3, 31), None],
    ["GOD-04", "Informatie-uitwisseling met de opleidingsoperatoren over het opleidingstraject", "SD3", "Meetpunt 3.3", GOD, "maart 2025", "Afgewerkt", D(2025, 3, 14), None],
    ["GOD-05", "Jaarverslag over de kwaliteit van de uitgewisselde informatie", "SD3", "Meetpunt 3.3", GOD, "doorlopend vanaf maart 2025", "Lopend", None, None],
    ["GOD-06", "Teams herschikken naar een wendbare en veerkrachtige organisatie", "TD2", "Meetpunt 2.1", GOD, "H2 2025", "Te starten", None, None],
    ["GOD-07", "Intervisie voor trajectbegeleiders organiseren", "TD2", None, None, "2e kwartaal 2025", "In uitvoering", None, None],
]
book = xlwt.Workbook(encoding="utf-8")
sheet = book.add_sheet("Acties 2025")
date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
sheet.write(0, 0, "Operationeel plan 2025 – Gespecialiseerde ondersteunende diensten")
for c, h in enumerate(GOD_HEADER):
    sheet.write(2, c, h)
for r, row in enumerate(GOD_ROWS, start=3):
    for c, v in enumerate(row):
        if v is None:
            continue
        if isinstance(v, dt.date):
            sheet.write(r, c, v, date_style)
        else:
            sheet.write(r, c, v)
book.save(path("scorebord_GOD_2025-03.xls"))

# --- Externe Betrekkingen: an OpenDocument .ods (recurring deadlines of transversal objective 4) -
DEB_HEADER = ["Code", "Actie", "Doelstelling", "Meetpunt", "Directie", "Deadline", "Status", "Datum afgewerkt"]
DEB_ROWS = [
    ["DEB-01", "Ten minste één correspondent voor de EU en internationale betrekkingen aanstellen", "TD4", "Meetpunt 4.1", DEB, "januari 2025", "Afgewerkt", D(2025, 1, 20)],
    ["DEB-02", "Deelnemen aan de coördinatievergaderingen Brussels Hoofdstedelijk Gewest – EU", "TD4", "Meetpunt 4.1", DEB, "twee keer per jaar", "Lopend", None],
    ["DEB-03", "Tijdschema voor de omzetting van richtlijnen opvolgen", "TD4", "Meetpunt 4.3", DEB, "maandelijks", "Lopend", None],
    ["DEB-04", "Bijdragen aan het Brussels Gewestcomité voor Ontwikkelingssamenwerking", "TD4", "Meetpunt 4.5", DEB, "ten minste twee keer per jaar", "Lopend", None],
    ["DEB-05", "SPOC voor protocol en dienstreizen aanduiden en databank voeden", "TD4", "Meetpunt 4.7", DEB, D(2025, 2, 15), "Afgewerkt", D(2025, 3, 3)],
    ["DEB-06", "Informatiedoorstroming over Europese programma's en subsidies organiseren", "TD4", "Meetpunt 4.2", DEB, "S1 2025", "Lopend", None],
]
doc = OpenDocumentSpreadsheet()
table = Table(name="Scorebord")


def ods_row(values):
    tr = TableRow()
    for v in values:
        if v is None:
            tr.addElement(TableCell())
        elif isinstance(v, dt.date):
            cell = TableCell(valuetype="date", datevalue=v.isoformat())
            cell.addElement(P(text=v.strftime("%d/%m/%Y")))
            tr.addElement(cell)
        elif isinstance(v, (int, float)):
            cell = TableCell(valuetype="float", value=v)
            cell.addElement(P(text=str(v)))
            tr.addElement(cell)
        else:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=v))
            tr.addElement(cell)
    table.addElement(tr)


ods_row(["Scorebord Directie Externe Betrekkingen – maart 2025"])
ods_row([])
for row in [DEB_HEADER] + DEB_ROWS:
    ods_row(row)
doc.spreadsheet.addElement(table)
doc.save(path("scorebord_DEB_2025-03.ods"))

# --- Personeel & Organisatie: Belgian Excel CSV (';', Windows-1252, decimal commas, report date) --
PO_ROWS = [
    ["Scorebord P&O – maart 2025 (export uit Excel)"],
    [],
    ["Actie-ID", "Omschrijving", "Doelstelling", "Meetpunt", "Verantwoordelijke directie", "Deadline", "Status", "Datum realisatie", "Voortgang", "Rapportdatum"],
    ["PO-01", "Verzuimbeleid: maandelijkse rapportering ziekteverzuim per directie", "TD2", "Meetpunt 2.2", PO, "doorlopend", "Lopend", "", "", "31/03/2025"],
    ["PO-02", "Re-integratietrajecten voor langdurig zieken herzien", "TD2", "Meetpunt 2.2", PO, "28/02/2025", "Afgewerkt", "03/03/2025", "100%", "31/03/2025"],
    ["PO-03", "Opleidingsplan 2025 laten goedkeuren door het directiecomité", "TD2", "Meetpunt 2.1", PO, "Q1 2025", "Afgewerkt", "25/03/2025", "100%", "31/03/2025"],
    ["PO-04", "Carpoolplatform voor het personeel (klimaatverbintenissen Gewest)", "TD3", "Meetpunt 3.1", PO, "K4 2025", "Niet gestart", "", "0,0", "31/03/2025"],
    ["PO-05", "Evaluatiecyclus leidinggevenden vernieuwen", "TD2", "Meetpunt 2.1", PO, "31/01/2025", "Uitgesteld", "", "20%", "31/03/2025"],
    ["PO-06", "Welzijnsbarometer – één bevraging per jaar", "TD2", "Meetpunt 2.1", PO, "jaarlijks", "Lopend", "", "", "31/03/2025"],
    ["PO-07", "Coördinatie onthaal nieuwe medewerkers digitaliseren", "TD3", "Meetpunt 3.1", PO, "juni 2025", "Afgewerkt", "15/04/2025", "100%", "31/03/2025"],
]
with open(path("scorebord_PO_2025-03.csv"), "w", encoding="cp1252", newline="") as f:
    csv.writer(f, delimiter=";", lineterminator="\r\n").writerows(PO_ROWS)

# --- HR: monthly absence per directorate, 15 months (transversal objective 2, measure point 2.2) ---
HOLIDAYS = {D(2024, 1, 1), D(2024, 4, 1), D(2024, 5, 1), D(2024, 5, 9), D(2024, 5, 20), D(2024, 7, 21), D(2024, 8, 15),
            D(2024, 11, 1), D(2024, 11, 11), D(2024, 12, 25), D(2025, 1, 1), D(2025, 4, 21), D(2025, 5, 1), D(2025, 5, 29),
            D(2025, 6, 9), D(2025, 7, 21), D(2025, 8, 15), D(2025, 11, 1), D(2025, 11, 11), D(2025, 12, 25)}


def working_days(y, m):
    d, n = D(y, m, 1), 0
    while d.month == m:
        if d.weekday() < 5 and d not in HOLIDAYS:
            n += 1
        d += dt.timedelta(days=1)
    return n


rng = random.Random(2025)
units = {DEL: (142.5, 0.071, -0.0012), CDD: (88.0, 0.058, 0.0004), GOD: (61.2, 0.049, 0.0), DEB: (14.8, 0.032, 0.0), PO: (37.6, 0.044, -0.0005)}
absence = [["Ziekteverzuim per directie – maandelijkse rapportering HR"], ["Bron: personeelsadministratie, gevalideerd"], [],
           ["Directie", "Maand", "VTE", "Werkbare dagen", "Ziektedagen", "Aantal afwezigheden"]]
months = [(2024, m) for m in range(1, 13)] + [(2025, m) for m in range(1, 4)]
for unit, (fte, base, slope) in units.items():
    for i, (y, m) in enumerate(months):
        wd = round(fte * working_days(y, m), 1)
        rate = max(0.005, base + slope * i + rng.uniform(-0.008, 0.008) + (0.012 if m in (1, 2) else 0))
        absence.append([unit, f"{y}-{m:02d}", fte, wd, round(wd * rate, 1), max(1, round(fte * rate * 1.6))])
absence.append(["Totaal", None, None, None, None, None])
absence.append([DEB, "13/2024", 14.8, 300, 2, 1])  # deliberately bad month
xlsx(path("hr", "afwezigheden_2024-2025.xlsx"), [("Verzuim", absence)])

# Raw HR spells (UTF-8 with BOM, comma separated) and the headcount they need.
spells = [["Personeelsnummer", "Directie", "Begindatum", "Einddatum", "Fractie", "Type"],
          ["100231", DEL, "2025-02-26", "2025-03-04", "1", "Ziekte"],
          ["100231", DEL, "2025-03-03", "2025-03-07", "1", "Ziekte"],
          ["100415", DEL, "2025-03-10", "", "0,5", "Ziekte"],
          ["100502", CDD, "2024-01-15", "2025-03-31", "4/5", "Ziekte"],
          ["100611", GOD, "2025-03-17", "2025-03-21", "100%", "Ziekte"],
          ["100733", PO, "2025-03-12", "2025-03-05", "1", "Ziekte"]]  # end before start: deliberate
with open(path("hr", "afwezigheidsperiodes_2025.csv"), "w", encoding="utf-8-sig", newline="") as f:
    csv.writer(f).writerows(spells)
xlsx(path("hr", "personeelsbestand_2025.xlsx"), [("Personeel", [["Directie", "Maand", "VTE", "Aantal personeelsleden"]] +
     [[u, f"2025-{m:02d}", fte, round(fte * 1.12)] for u, (fte, _, _) in units.items() for m in (1, 2, 3)])])

# --- Measure points as indicators (seed 004), satisfaction (TD1 / OPTIris KPI 3), OPTIris proposals
ind = [["Meetpunten mandaat – kwartaalopvolging"], [],
       ["Indicator", "Periode", "Resultaat", "Streefwaarde", "Richting", "Doelstelling", "Directie", "Eenheid"]]
for m, (sat, wait, bal, ill) in zip((1, 2, 3), [(0.81, 24, 410, 0.078), (0.83, 21, 455, 0.074), (0.86, 18, 520, 0.069)]):
    p = f"2025-{m:02d}"
    ind += [["Tevredenheid werkzoekenden over het loket", p, sat, 0.85, "hoger is beter", "TD1", DEL, "%"],
            ["Gemiddelde wachttijd aan het loket", p, wait, 20, "lager is beter", "TD1", DEL, "minuten"],
            ["Werkzoekenden met competentiebalans", p, bal, 500, "↑", "SD2", DEL, "aantal"],
            ["Ziekteverzuim directie", p, ill, 0.065, "lager is beter", "TD2", DEL, "%"],
            ["Pilootprojecten langdurig werkzoekenden", p, 1 if m < 3 else 2, None, "hoger is beter", "SD2", DEL, "aantal"]]
xlsx(path("meetpunten_2025.xlsx"), [("Meetpunten", ind)])

sat = [["Kanaal", "Maand", "Aantal antwoorden", "Tevreden"]]
for m, rows in {1: [("Loket", 412, 334), ("Telefoon", 265, 199), ("Online", 530, 381)],
                2: [("Loket", 398, 331), ("Online", 488, 361)],
                3: [("Loket", 455, 391), ("Telefoon", 241, 187), ("Online", 602, 457)]}.items():
    sat += [[ch, f"2025-{m:02d}", n, s] for ch, n, s in rows]
xlsx(path("kwaliteit", "tevredenheid_2025-Q1.xlsx"), [("Tevredenheid", sat)])
with open(path("kwaliteit", "enquete_online_2025-03.csv"), "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, delimiter=";")
    w.writerow(["Periode", "Kanaal", "Score"])
    for score in [9, 8, 10, 7, "geen mening", 6, 9, 8, "", 4, 10, 8]:
        w.writerow(["maart 2025", "Online", score])

prop = [["OPTIris – voorstellen van optimalisatieprojecten"], [],
        ["Voorstel-ID", "Titel", "Ingediend op", "SMART", "Geplande besparing", "Gerealiseerde besparing", "Status"],
        ["OPT-2024-07", "Gedeelde aankoopcentrale voor kantoorbenodigdheden", D(2024, 11, 18), "ja", 45000, 12000, "Goedgekeurd"],
        ["OPT-2025-01", "Digitale convocaties in plaats van aangetekende brieven", D(2025, 1, 22), "ja", 120000, 35000, "In uitvoering"],
        ["OPT-2025-02", "Samenvoegen van de onthaalbalies eerste lijn", D(2025, 2, 14), "nee", 80000, None, "Ingediend"],
        ["OPT-2025-03", "Automatische controle van beschikbaarheidsbewijzen", D(2025, 3, 5), "ja", None, None, "Ingediend"],
        ["OPT-2025-04", "Gemeenschappelijk opleidingsplatform met Bruxelles Formation", D(2025, 3, 27), "x", "60.000", "0", "Ingediend"]]
xlsx(path("optiris", "voorstellen_optiris_2025.xlsx"), [("Voorstellen", prop)])
print("samples written to", OUT)
