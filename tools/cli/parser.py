"""The `rapportsok-dev` parser: evaluations, benchmarks and NER tools (handlers in tools/cli/)."""

from __future__ import annotations

import argparse

from rapportsok.app.cli.common import positive_int
from rapportsok.app.cli.runner import new_parser

_HANDLERS = "rapportsok.tools.cli"


def _bench_ingest(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "bench-ingest",
        parents=[common],
        help="mät inläsningens hastighet (sidor/s, textavsnitt/s)",
        description="Läser in SÖKVÄG i en tillfällig datakatalog, först i en process och sedan parallellt, "
        "och skriver ut sidor/s och textavsnitt/s (läsning, rensning, styckning och NER, utan inbäddningar). "
        "Den bästa av --repeat körningar räknas; en uppvärmning före mätningen laddar NER-modellen.",
    )
    parser.add_argument("paths", nargs="+", metavar="SÖKVÄG", help="fil eller mapp")
    parser.add_argument(
        "--workers", type=positive_int, metavar="N", help="processer i den parallella körningen"
    )
    parser.add_argument("--repeat", type=positive_int, default=3, metavar="N", help="körningar per läge (3)")
    parser.set_defaults(handler=f"{_HANDLERS}.bench:bench_ingest")


def _bench_embed(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "bench-embed",
        parents=[common],
        help="mät inbäddningsmodellens hastighet (avsnitt/s, svarstid per fråga)",
        description="Skär texterna (*.txt) i MAPP (standard: corpus/) i avsnitt om ungefär --tokens token, "
        "beräknar vektorer för dem med den inbäddningsmodell som används och skriver ut avsnitt/s, samt "
        "svarstiden (p50/p95) för en ensam fråga. En uppvärmning görs före mätningen.",
    )
    parser.add_argument("folder", nargs="?", metavar="MAPP", help="mapp med .txt-filer (standard: corpus/)")
    parser.add_argument("--chunks", type=positive_int, default=64, metavar="N", help="antal avsnitt (64)")
    parser.add_argument(
        "--tokens", type=positive_int, default=250, metavar="N", help="token per avsnitt (250)"
    )
    parser.set_defaults(handler=f"{_HANDLERS}.bench:bench_embed")


def _bench_scale(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "bench-scale",
        parents=[common],
        help="mät sökning i stora samlingar med syntetiska vektorer och texter",
        description="Bygger vektorindexet (och ordindexet upp till --lexical-max avsnitt) för syntetiska "
        "samlingar av de angivna storlekarna och skriver ut byggtid, minne, diskstorlek, svarstid (p50/p95, "
        "k=10) och recall@10 mot exakt sökning. 1M avsnitt tar några minuter och ungefär 3 GB minne.",
    )
    parser.add_argument(
        "--sizes", type=positive_int, nargs="+", default=[100_000, 1_000_000], metavar="N",
        help="antal avsnitt (100000 1000000)",
    )
    parser.add_argument(
        "--lexical-max", type=int, default=100_000, metavar="N",
        help="mät ordindexet (FTS5/BM25) bara upp till så många avsnitt (100000; 0 = aldrig)",
    )
    parser.add_argument(
        "--queries", type=positive_int, default=200, metavar="N", help="frågor per storlek (200)"
    )
    parser.add_argument("--threads", type=positive_int, metavar="N", help="trådar för FAISS (standard: alla)")
    parser.set_defaults(handler=f"{_HANDLERS}.bench:bench_scale")


def _eval_search(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "eval-search",
        parents=[common],
        help="mät sökningens träffsäkerhet (hit@k, MRR, nDCG)",
        description="FIL är vår frågeuppsättning (eval/questions.jsonl, söks i datakatalogens index, som ska "
        "innehålla corpus/) eller SweFAQ (eval/swefaq/swefaq_dev.jsonl, indexeras tillfälligt). Avslutar med "
        "kod 1 om ett mål inte nås (standard: vår uppsättning hit@5 ≥ 0,98 och MRR@10 ≥ 0,92, "
        "SweFAQ nDCG@10 ≥ 0,78).",
    )
    parser.add_argument("file", metavar="FIL", help="frågefil i JSONL")
    for name, label in (("hit1", "hit@1"), ("hit5", "hit@5"), ("hit10", "hit@10"), ("mrr", "MRR@10"),
                        ("ndcg", "nDCG@10")):
        parser.add_argument(f"--min-{name}", type=float, metavar="X", help=f"lägsta godkända {label}")
    parser.add_argument(
        "--mode", choices=["hybrid", "dense", "lexical", "all"], default="hybrid",
        help="hybrid (standard), bara semantisk (dense), bara ord (lexical) eller alla tre; med all "
        "räknas det också som ett missat mål om hybrid är sämre än dense eller lexical",
    )
    parser.add_argument("--variants", action="store_true", help="mät även alla varianter av sammanvägningen")
    parser.set_defaults(handler=f"{_HANDLERS}.evaluate:eval_search")


def _bench_search(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "bench-search",
        parents=[common],
        help="mät sökningens svarstid (p50/p95 i ms, varm)",
        description="Söker med varje fråga i --queries (standard: eval/questions.jsonl) i datakatalogens "
        "index, efter en uppvärmning, och skriver ut p50 och p95 i millisekunder för hela sökningen och för "
        "varje steg (frågevektor, vektorsökning, BM25, sammanvägning, träffar).",
    )
    parser.add_argument(
        "--queries", metavar="FIL",
        help="frågor: JSONL med fältet question (som eval/questions.jsonl) eller en fråga per rad",
    )
    parser.add_argument("-k", type=positive_int, default=10, metavar="N", help="antal träffar (10)")
    parser.add_argument("--repeat", type=positive_int, default=3, metavar="N", help="varv över frågorna (3)")
    parser.set_defaults(handler=f"{_HANDLERS}.bench:bench_search")


def _eval_qa(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "eval-qa",
        parents=[common],
        help="mät svarens träffsäkerhet på en frågeuppsättning",
        description="Läser in corpus/ och de delade rapporter som frågorna i FIL (standard "
        "eval/qa_questions.jsonl) nämner i en datakatalog (standard: en ny tillfällig mapp), ställer varje "
        "fråga och skriver ut resultatet för test- och utvecklingshalvan, per organisation och per slag: "
        "rätt bästa svar (bara ur den väntade rapporten), rätt bland topp 3, ”hittar inget” på obesvarbara "
        "frågor, fel svar med hög säkerhet, rätt stycke bland de 5 första träffarna och en "
        "tillförlitlighetstabell. Avslutar med kod 1 om testhalvan missar något mål.",
    )
    parser.add_argument("file", nargs="?", metavar="FIL",
                        help="frågefil i JSONL (standard eval/qa_questions.jsonl; även eval/questions.jsonl)")
    parser.add_argument("--shared", metavar="MAPP",
                        help="mappen med de delade rapporterna (standard ../shared/pdfs); saknas en rapport "
                        "hoppas dess frågor över")
    parser.add_argument("--records", metavar="FIL",
                        help="skriv en rad per fråga hit (standard eval/results/qa_records.jsonl)")
    parser.add_argument("--compare", metavar="FIL", help="jämför med en tidigare radfil: vilka frågor som "
                        "blev rätt och vilka som blev fel")
    parser.add_argument("--force", action="store_true", help="läs om rapporterna även om de är oförändrade")
    parser.add_argument("--failures", action="store_true", help="visa varje fråga som fick fel svar")
    parser.set_defaults(handler=f"{_HANDLERS}.evaluate:eval_qa")


def _bench_ask(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "bench-ask",
        parents=[common],
        help="mät svarstiden per fråga (p50/p95, varm)",
        description="Ställer varje fråga i FIL (standard eval/qa_questions.jsonl) --repeat gånger till "
        "indexet, efter en uppvärmning som laddar modellerna, och skriver ut svarstidens median (p50) och "
        "p95 i ms (frågeanalys, hybridsökning, belopp och poängsättning).",
    )
    parser.add_argument("file", nargs="?", metavar="FIL",
                        help="frågefil i JSONL (standard eval/qa_questions.jsonl)")
    parser.add_argument("--repeat", type=positive_int, default=3, metavar="N", help="varv över frågorna (3)")
    parser.set_defaults(handler=f"{_HANDLERS}.bench:bench_ask")


def _ner(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "ner",
        parents=[common],
        help="märk belopp, andelar, datum och divisioner i en text",
        description="Kör Rapportsöks svenska NER (regler + tränad modell) och skriver ut varje entitet "
        "med etikett, text, teckenpositioner i TEXT och normaliserat värde (kronor, procent, ISO-datum, "
        "division).",
    )
    parser.add_argument("text", metavar="TEXT", help="texten, eller - för en text per rad från stdin")
    parser.add_argument("--rules-only", action="store_true", help="bara reglerna, utan den tränade modellen")
    parser.set_defaults(handler=f"{_HANDLERS}.ner:ner")


def _train_ner(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "train-ner",
        parents=[common],
        help="träna om NER-modellen i models/ner/model från de incheckade data och config",
        description="Bygger silverdata med reglerna ur träningsdokumenten (000, 002, 003), tränar "
        "ner-komponenten med models/ner/config.cfg på guldträningsdata + silver och sparar regler + modell "
        "i models/ner/model.",
    )
    parser.add_argument("--corpus", metavar="MAPP", help="mappen med exempelrapporterna (standard: corpus/)")
    parser.add_argument("--output", metavar="MAPP", help="var modellen sparas (standard: models/ner/model)")
    parser.set_defaults(handler=f"{_HANDLERS}.ner:train_ner")


def _eval_ner(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "eval-ner",
        parents=[common],
        help="mät NER mot en guldfil (precision, täckning, F1, värdeprecision)",
        description="Märker varje exempel i FIL (JSONL: text, spans) och skriver ut precision, täckning "
        "och F1 per etikett, strikt (exakt spann) och överlappande, samt andelen rätt normaliserade värden. "
        "Avslutar med kod 1 om ett mål missas (standard: AMOUNT/PERCENT F1 ≥ 0,95, DATE ≥ 0,92, "
        "DIVISION ≥ 0,90, värden ≥ 0,98).",
    )
    parser.add_argument("file", metavar="FIL", help="guldfil i JSONL (models/ner/gold/test.jsonl)")
    parser.add_argument("--rules-only", action="store_true", help="mät bara reglerna")
    parser.add_argument("--model", metavar="MAPP", help="annan modellmapp än models/ner/model")
    parser.add_argument("--min-f1", type=float, metavar="X", help="lägsta strikta F1 för alla etiketter")
    parser.add_argument("--min-value-accuracy", type=float, metavar="X", help="lägsta värdeprecision")
    parser.add_argument("--errors", action="store_true", help="visa varje fel")
    parser.set_defaults(handler=f"{_HANDLERS}.evaluate:eval_ner")


def _bench_ner(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "bench-ner",
        parents=[common],
        help="mät NER-stegets hastighet (ord/s för NER + siffror)",
        description="Läser och styckar SÖKVÄG (standard: corpus/) utan tidtagning och mäter sedan i en "
        "process hur många ord per sekund NER-märkningen och siffrorna tar, som vid inläsning. "
        "Den bästa av --repeat körningar räknas, efter en uppvärmning.",
    )
    parser.add_argument("paths", nargs="*", metavar="SÖKVÄG", help="fil eller mapp (standard: corpus/)")
    parser.add_argument("--repeat", type=positive_int, default=3, metavar="N", help="körningar (3)")
    parser.add_argument("--rules-only", action="store_true", help="bara reglerna, utan den tränade modellen")
    parser.set_defaults(handler=f"{_HANDLERS}.bench:bench_ner")


def _bench_start(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "bench-start",
        parents=[common],
        help="mät kallstarten av rapportsok status, ask och ingest (tid och minne)",
        description="Kör `rapportsok status`, `rapportsok ask FRÅGA` och en `rapportsok ingest MAPP` där "
        "inget ändrats, var och en i en ny process --repeat gånger mot datakatalogens index, och skriver ut "
        "väggklocktid (median och bästa) och högsta minnesanvändning (RSS). Läs in MAPP först.",
    )
    parser.add_argument("folder", nargs="?", default="corpus", metavar="MAPP",
                        help="inläst mapp för ingest (standard: corpus)")
    parser.add_argument("--question", default="hur mycket fick regionen för psykisk hälsa 2020",
                        metavar="FRÅGA", help="frågan till ask")
    parser.add_argument(
        "--repeat", type=positive_int, default=3, metavar="N", help="körningar per kommando (3)"
    )
    parser.set_defaults(handler=f"{_HANDLERS}.start:bench_start")


SUBCOMMANDS = [
    _eval_search, _eval_qa, _eval_ner, _train_ner, _ner,
    _bench_ingest, _bench_ner, _bench_embed, _bench_search, _bench_ask, _bench_scale, _bench_start,
]


def build_parser() -> argparse.ArgumentParser:
    """The full `rapportsok-dev` parser."""
    parser, subparsers, common = new_parser(
        "rapportsok-dev", "Rapportsöks utvecklarverktyg: utvärderingar, prestandamätningar och NER-träning."
    )
    for add in SUBCOMMANDS:
        add(subparsers, common)
    return parser
