"""Both Words & Pictures books of the demo household, for Mila (7), in very simple Dutch with pictograms."""
from sqlalchemy.orm import Session

from webapp.households.models import Child
from webapp.words_pictures import services
from webapp.words_pictures.models import BookKind, PictureKind

# (pictogram, text) per page, in the order the child reads them.
STORY = [
    ("family", "Dit boek gaat over jou, Mila. En over mama en papa."),
    ("worried", "Mama en papa hadden vaak ruzie. Er werd hard geschreeuwd. Dat was eng voor jou."),
    ("helper", "Juf Anja en Jeroen maakten zich zorgen. Zij willen dat jij veilig bent."),
    ("grandma", "Nu helpen oma Ria, buurman Kees en tante Fatima. Zij letten goed op."),
    ("calm", "Mama oefent om rustig te blijven. Wordt ze boos? Dan belt ze oma Ria."),
    ("love", "Het is nooit jouw schuld. Iedereen houdt van jou."),
]
PLAN = [
    ("grandma", "Oma Ria is er altijd voor jou. Je mag haar alles vertellen."),
    ("teddy", "Ben je bang? Zet Beer dan op de vensterbank. Dan weet oma dat ze moet komen."),
    ("phone", "Je kunt ook op de knop drukken: Ik maak me zorgen. Dan krijgt oma een bericht."),
    ("calm", "Wordt mama boos? Dan gaat ze even naar de keuken. Daar wordt ze weer rustig."),
    ("home", "Buurman Kees woont naast jullie. Je mag altijd bij hem aanbellen."),
    ("star", "Jij hoeft niets op te lossen. Dat doen de grote mensen."),
]


def seed_demo(session: Session, child: Child, instance_path: str) -> None:
    """Make both of Mila's books. Pictograms only: no files, no pictures from elsewhere."""
    for kind, pages in ((BookKind.story, STORY), (BookKind.plan, PLAN)):
        for pictogram, text in pages:
            services.add_page(session, instance_path, child, kind, text,
                              services.Picture(PictureKind.pictogram, pictogram=pictogram))
    session.flush()
