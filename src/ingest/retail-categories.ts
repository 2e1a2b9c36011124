// A first category for gift-shop products, derived from the words of their title. The rules are
// ordered: the first that matches wins, so specific product kinds come before broad themes.
const RULES: readonly [category: string, pattern: RegExp][] = [
  ['Christmas', /\b(CHRISTMAS|XMAS|ADVENT|SANTA|REINDEER|SNOWFLAKE|SNOWMAN|NATIVITY)\b/],
  ['Easter', /\b(EASTER|EGG HUNT)\b/],
  ['Bags', /\b(BAG|BAGS|TOTE|SHOPPER|PURSE|RUCKSACK|BACKPACK)\b/],
  ['Cards & Wrapping', /\b(CARD|CARDS|WRAP|WRAPPING|GIFT TAGS?|RIBBONS?|ENVELOPES?|TISSUES?)\b/],
  ['Candles & Lighting', /\b(CANDLES?|T-LIGHTS?|TLIGHTS?|TEALIGHTS?|LANTERNS?|LAMPS?|LIGHTS?|NIGHTLIGHT|CANDLEHOLDER|LAMPSHADE)\b/],
  ['Kitchen & Dining', /\b(MUGS?|CUPS?|SAUCERS?|TEAPOT|TEA ?TOWELS?|PLATES?|BOWLS?|JUGS?|CAKE|BAKING|CUTLERY|NAPKINS?|COASTERS?|TRAYS?|TINS?|JAR|JARS|LUNCH ?BOX|KITCHEN|APRON|OVEN|GLASS|GLASSES|BOTTLE|CAKESTAND|SPOONS?|TUMBLER|PANTRY|STRAWS?|DOILY|DOILIES|CAKE CASES)\b/],
  ['Home Textiles', /\b(CUSHION|CUSHIONS|THROW|BLANKET|QUILT|CURTAIN|HOT WATER BOTTLE|DOORMAT|MAT)\b/],
  ['Clocks', /\b(CLOCK|CLOCKS)\b/],
  ['Signs & Plaques', /\b(SIGN|SIGNS|PLAQUE|PLAQUES)\b/],
  ['Frames & Mirrors', /\b(FRAME|FRAMES|PHOTO|MIRROR|MIRRORS)\b/],
  ['Garden', /\b(GARDEN|PLANT|PLANTER|WATERING|FLOWER POT|BIRD|BIRDHOUSE|TROWEL|SEED)\b/],
  ['Toys & Games', /\b(TOY|TOYS|GAME|GAMES|PUZZLE|DOLL|DOLLY|DOMINOES|SKITTLES|PLAYHOUSE|SPACEBOY|CHALK|CRAYONS|SKIPPING ROPE|SPINNING TOP|JIGSAW|BALLOONS?|PARTY)\b/],
  ['Jewellery & Accessories', /\b(NECKLACE|NECKLACES|EARRINGS?|BRACELET|RING|RINGS|BROOCH|HAIR|CLIPS?|SLIDES?|JEWELLERY|CHARM|BANGLE|UMBRELLA|HAND WARMER|GLOVES?|SCARF)\b/],
  ['Stationery', /\b(NOTEBOOK|NOTEBOOKS|PENCILS?|PENS?|ERASER|RUBBER|STICKERS?|STICKER|CALENDAR|DIARY|JOURNAL|NOTEPAD|MEMO|BOOK|STAMPS?|PAPER)\b/],
  ['Storage', /\b(BOX|BOXES|BASKET|BASKETS|STORAGE|HOOKS?|HANGERS?|HOLDER|DRAWER|CABINET|CHEST|RACK|SHELF)\b/],
  ['Decorations', /\b(HEART|HEARTS|DECORATION|DECORATIONS|BUNTING|GARLAND|WREATH|ORNAMENT|HANGING|BELL|BELLS|STAR|BUTTERFLY|WALL ART|DOORSTOP|VASE|FEATHER|FLOWERS?)\b/],
];

/** The first category a gift-shop product title falls in, or "Other". */
export function retailCategory(title: string | null): string {
  if (!title) return 'Other';
  const upper = title.toUpperCase();
  for (const [category, pattern] of RULES) if (pattern.test(upper)) return category;
  return 'Other';
}
