"""Realistic marketplace product feeds of any size, for the feed benchmarks and import tests.

    .venv/bin/python -m benchmarks.feedgen OUT --rows 1000000 [--language fr] [--delimiter ';']

Rows look like a shop export: titles with commas and a few inch signs, descriptions of 100-400
characters (a few spanning several lines), valid GTIN-13s, price points such as "19.99 EUR" with
some decimal commas and missing currencies, sale prices, brands, availability, image links,
categories and variant groups. The same ``seed`` gives the same rows; ``variant`` changes the price
of about one row in ten, so importing variant 1 after variant 0 exercises updates.
"""

from __future__ import annotations

import argparse
import csv
import random
import time
from pathlib import Path

from domain.marketplace.feed import EXPORT_COLUMNS
from domain.shared.gtin import check_digit

WORDS = {  # space-separated vocabulary per language
    "en": (
        "quality durable lightweight compact elegant classic modern practical comfortable "
        "stainless steel cotton leather wooden ceramic glass recycled organic waterproof "
        "handmade design everyday kitchen garden office travel outdoor family gift easy clean "
        "storage soft warm bright natural premium reliable sturdy versatile perfect for use with"
    ),
    "fr": (
        "qualité durable léger compact élégant classique moderne pratique confortable acier "
        "inoxydable coton cuir bois céramique verre recyclé biologique étanche fait main design "
        "quotidien cuisine jardin bureau voyage extérieur famille cadeau facile à nettoyer "
        "rangement doux chaud lumineux naturel haut de gamme fiable robuste polyvalent idéal pour"
    ),
    "de": (
        "Qualität langlebig leicht kompakt elegant klassisch modern praktisch bequem Edelstahl "
        "Baumwolle Leder Holz Keramik Glas recycelt biologisch wasserdicht handgemacht Design "
        "Alltag Küche Garten Büro Reise draußen Familie Geschenk leicht zu reinigen Aufbewahrung "
        "weich warm hell natürlich hochwertig zuverlässig robust vielseitig ideal für Größe"
    ),
}
PRODUCTS = {
    "en": "Kettle|Backpack|Desk Lamp|Headphones|Frying Pan|Rain Jacket|Mug|Monitor",
    "fr": "Bouilloire|Sac à dos|Lampe de bureau|Casque|Poêle|Veste de pluie|Tasse|Écran",
    "de": "Wasserkocher|Rucksack|Schreibtischlampe|Kopfhörer|Pfanne|Regenjacke|Becher|Monitor",
}
BRANDS = ("Acme", "Nordlys", "Moselle & Co", "Ardenne Outdoor", "Kirchberg Home", "Luxlight", "Petrusse")
COLOURS = ("black", "white", "red", "blue", "green", "grey", "oak")
CATEGORIES = (
    "Home & Garden > Kitchen & Dining > Kitchen Appliances",
    "Apparel & Accessories > Clothing > Outerwear",
    "Electronics > Audio > Headphones",
    "Luggage & Bags > Backpacks",
    "Home & Garden > Lighting",
    "Electronics > Computers > Monitors",
)
AVAILABILITY = ("in_stock",) * 40 + ("out_of_stock",) * 6 + ("preorder",) * 2 + ("backorder",) * 2
CONDITION = ("new",) * 95 + ("refurbished",) * 3 + ("used",) * 2
CENTS = (99, 99, 95, 90, 49, 0)


def gtin13(number: int) -> str:
    """A GTIN-13 under the 540 (Belgium and Luxembourg) prefix with a correct check digit."""
    body = f"540{number:09d}"
    return f"{body}{check_digit(body)}"


def _price(rng: random.Random, cents: int) -> str:
    """Mostly ``"19.99 EUR"``, sometimes a decimal comma or no currency, as exports have."""
    text = f"{cents // 100}.{cents % 100:02d}"
    style = rng.random()
    if style < 0.03:
        return text.replace(".", ",") + " EUR"
    if style < 0.05:
        return text
    return text + " EUR"


def generate_feed(
    path: str | Path,
    rows: int,
    *,
    seed: int = 0,
    language: str = "en",
    delimiter: str = "\t",
    encoding: str = "utf-8",
    bom: bool = False,
    variant: int = 0,
) -> None:
    """Write a feed of ``rows`` products to ``path`` (see the module docstring)."""
    rng = random.Random(seed)
    words, products = WORDS[language].split(), PRODUCTS[language].split("|")
    with open(path, "w", encoding=encoding, newline="") as out:
        if bom:
            out.write("\ufeff")
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
        writer.writerow(EXPORT_COLUMNS)
        for index in range(rows):
            brand, product, colour = rng.choice(BRANDS), rng.choice(products), rng.choice(COLOURS)
            title = f"{brand} {product} {rng.choice(words)}, {colour}"
            if rng.random() < 0.05:
                title += f', {rng.randint(10, 40)}"'  # an inch sign: the row needs quoting
            description = " ".join(rng.choices(words, k=rng.randint(12, 50))).capitalize() + "."
            if rng.random() < 0.05:
                description += "\n\n" + " ".join(rng.choices(words, k=8)).capitalize() + "."
            cents = rng.randint(1, 500) * 100 + rng.choice(CENTS)
            if variant and (index + variant) % 10 == 0:
                cents += 100 * variant
            sale = _price(rng, cents * 8 // 10) if rng.random() < 0.15 else ""
            sku = f"SKU-{index:07d}"
            image = f"https://cdn.example.lu/img/{sku.lower()}"
            extra = f"{image}-2.jpg,{image}-3.jpg" if rng.random() < 0.3 else ""
            writer.writerow((
                sku, title, description, f"https://shop.example.lu/{language}/p/{sku.lower()}",
                f"{image}.jpg", extra, rng.choice(AVAILABILITY), _price(rng, cents), sale, brand,
                gtin13(index), f"{brand[:3].upper()}-{index:06d}", rng.choice(CONDITION),
                rng.choice(CATEGORIES), f"{product} > {colour}",
                f"GRP-{index // 4:07d}" if rng.random() < 0.3 else "",
            ))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--language", choices=sorted(WORDS), default="en")
    parser.add_argument("--delimiter", choices=["\t", ";", ","], default="\t")
    parser.add_argument("--encoding", default="utf-8")
    parser.add_argument("--bom", action="store_true")
    parser.add_argument("--variant", type=int, default=0)
    args = parser.parse_args()
    started = time.perf_counter()
    generate_feed(
        args.out, args.rows, seed=args.seed, language=args.language, delimiter=args.delimiter,
        encoding=args.encoding, bom=args.bom, variant=args.variant,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    size_mb = args.out.stat().st_size / 1e6
    print(f"wrote {args.rows:,} rows, {size_mb:.1f} MB to {args.out} in {elapsed:.1f} s")


if __name__ == "__main__":
    main()
