/**
 * Hand-written book descriptions and reader queries used to check that the static model ranks
 * sensibly (scripts/static-model/evaluate.ts and tests/unit/static-model.test.ts). Each query
 * names the description it should find. The texts are invented for this purpose.
 */

/** One description per kind of book. */
export const DESCRIPTIONS = {
  spaceOpera:
    'The starship Meridian carries the last heir of a fallen dynasty across the galaxy, pursued by the fleets of ' +
    'two rival galactic empires. As interstellar war engulfs a thousand worlds, her crew of smugglers and exiled ' +
    'officers must choose between loyalty and survival among the stars.',
  cookbook:
    'Easy weeknight recipes for soups, salads and baking bread. Over one hundred dishes with simple ingredients, ' +
    'step-by-step photos and tips for seasoning, roasting vegetables and making dough at home.',
  detective:
    'Inspector Maud Fairley investigates a murder at a country house. A body is found in the locked library; ' +
    'every guest has a motive, the clues point in different directions, and the suspects lie to protect secrets ' +
    'of their own until the detective gathers them for the final revelation.',
  romance:
    'After her engagement collapses, Nora returns to the seaside town where she spent her summers and falls for ' +
    'the brooding fisherman she once swore she hated. A warm love story about second chances, kisses in the rain ' +
    'and learning to trust your heart again.',
  fantasy:
    'A young stable girl discovers she can speak with dragons. When the king’s wizard betrays the realm, she must ' +
    'ride into the mountains, master an ancient magic, and wield an enchanted sword against the dark sorcerer ' +
    'who hunts her kind.',
  horror:
    'The Whitlock family buys an old farmhouse cheap, ignoring the rumours. At night the walls whisper, the ' +
    'children talk to someone nobody else can see, and something in the cellar is waiting. A chilling tale of a ' +
    'haunted house, ghosts and terror.',
  history:
    'A narrative history of the Second World War in Europe, from the invasion of Poland to the fall of Berlin, ' +
    'drawing on letters, diaries and military archives to tell the story of the soldiers, generals and civilians ' +
    'caught up in the conflict.',
  gardening:
    'A practical guide to growing vegetables, herbs and flowers in a small garden. Learn how to prepare soil, ' +
    'plant seeds, compost, prune fruit trees and keep pests away through every season of the year.',
  picturebook:
    'A sleepy little bear cannot find his favourite blanket at bedtime. With gentle rhymes and colourful ' +
    'pictures, this cosy story for toddlers and young children follows him through the house as he says ' +
    'goodnight to every toy.',
  business:
    'How great companies build lasting success: a study of leadership, strategy and management drawing on ' +
    'interviews with executives and entrepreneurs. Practical lessons for managers on growth, innovation, ' +
    'marketing and building an effective team.',
  spy:
    'A disgraced intelligence officer is pulled back into the field when a double agent inside the agency ' +
    'begins selling secrets to Moscow. A tense espionage thriller of betrayal, surveillance and covert ' +
    'operations across Cold War Europe.',
  science:
    'A physicist explains the origins of the universe, from the big bang and black holes to quantum mechanics ' +
    'and the search for dark matter, in clear language for curious readers with no background in mathematics.',
} as const;

/**
 * A second, differently worded description of the same kinds of book: "more like this" should
 * pair each with its counterpart in {@link DESCRIPTIONS}.
 */
export const SECOND_DESCRIPTIONS: Record<keyof typeof DESCRIPTIONS, string> = {
  spaceOpera:
    'Captain Idris Vane commands a battered cruiser at the edge of known space. When an alien armada ' +
    'emerges from a wormhole, the federation of planets must unite, and a reluctant pilot becomes the ' +
    'key to a rebellion that will decide the fate of humanity across the solar systems.',
  cookbook:
    'From a beloved chef, a collection of family meals: roast chicken, pasta with fresh tomato sauce, ' +
    'lemon cake and crusty loaves. Each chapter covers breakfast, lunch, dinner and dessert, with ' +
    'shopping lists, cooking times and kitchen basics.',
  detective:
    'When a wealthy banker is found poisoned, a retired police sergeant suspects the killer is one of ' +
    'the family. She follows the evidence through forged wills, false alibis and a second death, ' +
    'racing to unmask the murderer before the case goes cold.',
  romance:
    'Two rival bakers are forced to share a kitchen for the summer. Sparks fly, flour flies further, and ' +
    'before long the competition turns into a flirtation neither of them can resist. A funny, swoony ' +
    'romantic comedy about falling in love with your enemy.',
  fantasy:
    'In a kingdom where elves and men have long been at war, an orphan thief steals a cursed crown and ' +
    'sets out on a quest with a disgraced knight and a witch to break the spell before the old gods ' +
    'wake and the realm falls to shadow.',
  horror:
    'A group of friends rents a cabin in the woods for the weekend. One by one they vanish, and the ' +
    'survivors realise that the creature stalking them feeds on fear. A terrifying novel of blood, ' +
    'screams and nightmares you will not forget.',
  history:
    'The rise and fall of the Roman Empire, told through its emperors, senators, legions and ordinary ' +
    'citizens, from the founding of the republic through centuries of conquest, civil war and decline ' +
    'to the sack of Rome.',
  gardening:
    'Transform your backyard with raised beds, container planting and a year-round harvest. An ' +
    'illustrated handbook on watering, mulching, choosing perennials, attracting bees and growing your ' +
    'own potatoes, lettuce and strawberries.',
  picturebook:
    'Little Duck wants to learn to swim but the pond looks very big. With bright illustrations and ' +
    'simple words read aloud, this sweet picture book for preschoolers is about courage, friends and ' +
    'trying new things.',
  business:
    'A founder reveals the habits behind startups that scale: hiring the right people, raising capital, ' +
    'setting goals, negotiating deals and leading through crisis. Essential reading for executives, ' +
    'investors and anyone who wants to run a company.',
  spy:
    'Codename Kestrel is the best assassin MI6 ever trained, until a mission in Berlin goes wrong and ' +
    'her own handlers mark her for death. On the run across Europe, she must expose a conspiracy that ' +
    'reaches the heart of British intelligence.',
  science:
    'A biologist takes readers on a journey through evolution, genetics and the origins of life, ' +
    'explaining how cells, DNA and natural selection shaped every living thing, with experiments and ' +
    'discoveries from Darwin to the present day.',
};

/** The name of a description. */
export type Genre = keyof typeof DESCRIPTIONS;

/** A reader query and the description it should rank first. */
export interface Query {
  text: string;
  expected: Genre;
}

/** Queries: the first few repeat the required ranking checks; the rest avoid the descriptions' words. */
export const QUERIES: Query[] = [
  {
    text: 'a space opera with starships and an interstellar war between galactic empires',
    expected: 'spaceOpera',
  },
  { text: 'a whodunit murder mystery', expected: 'detective' },
  { text: 'quick dinner ideas and home cooking', expected: 'cookbook' },
  { text: 'a heartwarming love story', expected: 'romance' },
  { text: 'epic fantasy with magic, wizards and dragons', expected: 'fantasy' },
  { text: 'a scary ghost story', expected: 'horror' },
  { text: 'military history of world war two', expected: 'history' },
  { text: 'how to grow tomatoes in your backyard', expected: 'gardening' },
  { text: 'a bedtime book for a three year old', expected: 'picturebook' },
  { text: 'management and entrepreneurship advice for leaders', expected: 'business' },
  { text: 'a cold war spy novel about a mole in the secret service', expected: 'spy' },
  { text: 'popular science about cosmology and physics', expected: 'science' },
  { text: 'sci-fi adventure among alien planets', expected: 'spaceOpera' },
  { text: 'a detective solving a crime', expected: 'detective' },
  { text: 'vegetarian meals for the family', expected: 'cookbook' },
  { text: 'sorcerers and enchanted kingdoms', expected: 'fantasy' },
  { text: 'a galaxy-spanning adventure with aliens and space battles', expected: 'spaceOpera' },
  { text: 'recipes for beginners', expected: 'cookbook' },
  { text: 'a cozy village mystery with an amateur sleuth', expected: 'detective' },
  { text: 'enemies to lovers', expected: 'romance' },
  { text: 'a quest to defeat a dark lord', expected: 'fantasy' },
  { text: 'a terrifying book that will keep you up at night', expected: 'horror' },
  { text: 'ancient civilisations and their empires', expected: 'history' },
  { text: 'flowers and vegetables', expected: 'gardening' },
  { text: 'a story to read aloud to toddlers', expected: 'picturebook' },
  { text: 'investing and running a startup', expected: 'business' },
  { text: 'secret agents and double agents', expected: 'spy' },
  { text: 'the universe, black holes and evolution', expected: 'science' },
];
