"""First-name equivalence classes: which first names are the same name across languages and scripts.

First names are a small closed vocabulary, unlike surnames, so they are listed: one line per name, its gender
(m/f) and its forms in English, Russian, Belarusian (Cyrillic, Łacinka, BGN/PCGN), Ukrainian, Polish,
Czech, Lithuanian, German and French spellings. Short diminutives (Sasha, Zhenya, Masha) are left out on
purpose: their stems are common words ("Жена" would read as a case of "Женя") and they rarely stand before
a surname in the press. Only forms whose transliteration
skeleton differs need listing ("Maryja", "Mariya" and "Марыя" all fold to one key); inflected forms
("Марии", "Mikałaja") are found through the endings of `monitor.match.words`.

The matcher uses the classes twice: "Nikolai Statkevich" is "Mikalai Statkevich" because both first names
share a class, and "Eduard Babaryka" is not "Viktar Babaryka" because "Eduard" is a known first name of
another class. A name may sit in several classes (Belarusian "Ales" is a form of Alexander).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from monitor.match import given_names
from monitor.match.normalize import ascii_letters, plain_key, skeletons
from monitor.match.words import ENDINGS, MAX_ENDING, compile_word

_CLASSES = """
m Alexander Aleksandr Alexandr Aliaksandr Alaksandr Aleksander Alexandre Alessandro Alejandro Oleksandr
  Olexandr Ales Aleś Alies Oles Alexandros Aleksandras Александр Аляксандр
  Олександр Алесь Олесь
m Alexei Alexey Aleksei Aleksey Alexej Aleksiej Aliaksei Alaksiej Oleksiy Oleksii Aljaksej Alexeï Aleksejus
  Алексей Аляксей Олексій
m Anatoly Anatoli Anatoliy Anatol Anatolij Anatoliusz Анатолий Анатоль Анатолій
m Andrei Andrey Andrej Andriy Andrii Andrzej Andrew Andreas André Andrius Андрей Андрэй Андрій Анджей Анджэй
m Anton Antoni Antoine Antonio Antanas Антон
m Arkady Arkadi Arkadiy Arkadz Arkadiusz Аркадий Аркадзь Аркадій
m Artyom Artem Artiom Artsiom Artsem Artur Arthur Артём Арцём Артем Артур
m Boris Barys Borys Борис Барыс
m Bogdan Bohdan Багдан Богдан
m Vadim Vadzim Wadim Vadym Вадим Вадзім
m Valentin Valiantsin Walenty Valentyn Валентин Валянцін Валентин
m Valery Valeri Valeriy Valer Walery Valerij Валерий Валерый Валер Валерій
m Vasily Vasili Vasiliy Vasil Vasyl Wasyl Wassili Василий Васіль Василь
m Viktor Victor Viktar Wiktor Wiktar Viktoras Виктор Віктар Віктор
m Vitaly Vitali Vitaliy Vital Vitalii Witalij Witalis Виталий Віталь Віталій
m Vladimir Uladzimir Wladimir Włodzimierz Volodymyr Vladimír Uladzimer Volodya Władimir Vladimiras
  Владимир Уладзімір Володимир Валодзя
m Vladislav Uladzislau Vladyslav Władysław Wladislaw Владислав Уладзіслаў
m Vyacheslav Viacheslav Viachaslau Wiaczesław Вячеслав Вячаслаў В'ячеслав
m Gennady Gennadi Henadz Hienadz Henadzi Hennadiy Gienadij Геннадий Генадзь Геннадій
m Georgy Georgi Georgiy Heorhi Heorhiy George Georg Georges Jerzy Георгий Георгій Юрась
m Yuri Yury Iouri Juri Jurij Yuriy Yurii Jurgis Jerzy Юрий Юрый Юрій
m Gleb Hleb Глеб Глеб
m Grigory Grigori Grigoriy Ryhor Hryhoriy Hryhorij Grzegorz Gregory Grégoire Григорий Рыгор Григорій
m Denis Dzianis Denys Dzienis Денис Дзяніс
m Dmitry Dmitri Dmitriy Dzmitry Dzmitri Dmytro Dmitrij Dzmitrij Dymitr Dmitrii Zmitser Zmicier Dimitri
  Дмитрий Дзмітрый Дмитро Зміцер
m Yevgeny Evgeni Evgeny Yevgeniy Jauhien Yauhen Yauheni Ievgen Yevhen Eugene Eugeniusz Jewgeni Eugen
  Jevgenij Evgueni Evguéni Ievgueni
  Евгений Яўген Євген
m Yegor Egor Yahor Jahor Yehor Егор Ягор Єгор
m Eduard Edward Edouard Édouard Edvard Eduardas Эдуард Едуард
m Ivan Iwan Jan Yan Ivanas Ян Иван Іван
m Igor Ihar Ihor Ігар Игорь Ігор
m Ilya Ilia Illia Illya Ilja Iljа Ilyas Илья Ілья Ілля
m Kirill Kiryl Kyrylo Cyryl Kirył Kirill Кирилл Кірыл Кирило
m Konstantin Kanstantsin Kostiantyn Kostyantyn Konstanty Constantin Kastus Kastuś Константин Канстанцін
  Костянтин Кастусь
m Leonid Leanid Leonidas Леонид Леанід Леонід
m Lev Leu Lew Лев Леў Льва Lva Lwa Ľva
m Maxim Maksim Maksym Maksimas Maxime Максим Максім
m Mikhail Mikhal Mikhas Michał Mykhailo Michail Michael Michel Mikhailo Mikhaił Mykhaylo Михаил Міхаіл
  Михайло Міхал Міхась
m Nikolai Nikolay Nikolaj Mikalai Mikalaj Mikola Mykola Mikołaj Nicolas Nicholas Nikolaus Mikalajus
  Николай Мікалай Мікола Микола
m Nikita Mikita Mikitа Mykyta Nikitas Никита Мікіта Микита
m Oleg Aleh Oleh Alieh Olegas Олег Алег
m Pavel Paval Pavlo Paweł Paul Paulius Pawel Павел Павло Паўлюк Павла Pawła Pavla
m Pyotr Petr Piotr Petro Piatro Pietro Peter Pierre Petras Пётр Пятро Петро
m Roman Raman Romanas Раман Роман
m Ruslan Руслан
m Sergei Sergey Sergej Siarhei Siarhiej Serhiy Serhii Sergiusz Serge Sergio Sergejus Sergueï Sergeï Сергей
  Сяргей Сергій
m Stanislav Stanislau Stanisław Stanislaw Станислав Станіслаў
m Stepan Stsiapan Stefan Stephan Stéphane Степан Сцяпан
m Taras Тарас
m Fyodor Fedor Fiodar Fedir Teodor Fiodor Fjodor Khviedar Фёдор Федор Фёдар Хведар Федір
m Yaroslav Jaroslav Jarosław Yaraslau Ярослав Яраслаў
m Yakov Yakau Jakub Jacob Jakob Iakov Яков Якаў Якуб
m Semyon Siamion Semen Simon Szymon Семён Сямён Семен
m Timofey Tsimafei Tymofiy Tymoteusz Timothy Тимофей Цімафей Тимофій
m Zakhar Zachar Захар
m Daniil Danila Danil Daniel Danylo Daniił Данила Даниил Данііл Данило
m Arseny Arseni Arseniy Arsen Арсений Арсень
m Matvei Matsvei Mateusz Matthew Matvey Матвей Мацвей
m Emil Emilian Эміль Эмиль
m Ostap Остап
m Vitold Vitaut Witold Вітольд Вітаўт
m Franak Frantsishak Franciszek Francis Франак Францішак
m Nariman Нариман
m Rustam Rustem Рустам Рустем
m Timur Tsimur Тимур Цімур
m Marat Марат
m Evan Эван
m David Dawid Давид Давід
m Tomas Thomas Tomasz Tamash Томас Тамаш
m Robert Robertas Роберт
m Martin Marcin Мартин
m Mark Marko Марк
m Donald Дональд
m Emmanuel Emanuel Эммануэль
m Algirdas Альгирдас
m Vytautas Витаутас
m Gitanas Гитанас
m Mindaugas Миндаугас
m Gabrielius Gabriel Габриэль
m Kęstutis Кястутис
f Maria Mariya Maryja Maryia Marija Mariia Marie Mary Мария Марыя Марія
f Marina Maryna Марина Марына
f Marfa Marta Martha Марфа Марта
f Svetlana Sviatlana Svitlana Swiatłana Swetlana Светлана Святлана Світлана
f Tatiana Tatyana Tatsiana Tetiana Tetyana Tacciana Tatjana Taciana Татьяна Таццяна Тетяна
f Natalia Natalya Natallia Natalla Nataliya Natalija Natasha Наталья Наталля Наталія Наташа
f Olga Volha Olha Wolha Ольга Вольга
f Yelena Elena Alena Alyona Helena Olena Hélène Jelena Елена Алена Олена Алёна
f Anna Hanna Ganna Anne Ганна Анна
f Anastasia Anastasiya Nastassia Nastya Nasta Anastazja Anastasija Анастасия Анастасія Настасся Наста Настя
f Ekaterina Yekaterina Katsiaryna Katerina Kateryna Katarzyna Catherine Екатерина
  Кацярына Катерина
f Irina Iryna Irena Ирина Ірына Ірина
f Yulia Yuliya Julia Julija Iuliia Yuliia Julie Юлия Юлія
f Darya Daria Daryja Dariya Дарья Дар'я
f Elizaveta Lizaveta Yelyzaveta Elżbieta Elisabeth Елизавета Лізавета Єлизавета
f Ksenia Kseniya Ksenija Xenia Ксения Ксенія
f Oksana Aksana Оксана Аксана
f Lyudmila Liudmila Ludmila Liudmyla Ludmiła Людмила Людміла
f Valentina Valiantsina Walentyna Valentyna Валентина Валянціна
f Vera Viera Wiera Vira Віра Вера
f Nadezhda Nadzeya Nadiya Nadia Nadzieja Nadzeja Надежда Надзея Надія
f Lyubov Liubou Lubov Любовь Любоў
f Galina Halina Halyna Галина Галіна
f Nina Ніна Нина
f Zoya Zoja Зоя
f Larisa Larysa Лариса Ларыса
f Lidia Lidiya Lidzia Лидия Лідзія
f Yevgenia Evgenia Yauheniya Jauhienija Yevheniia Eugenia Evguenia Ievguenia Jewgenija Eugenia Yevgeniya
  Евгения Яўгенія Євгенія
f Alexandra Aleksandra Aliaksandra Oleksandra Alaksandra Александра Аляксандра Олександра
f Viktoria Viktoryia Wiktoria Victoria Viktoriya Виктория Вікторыя Вікторія
f Polina Palina Паліна Полина
f Alesya Alesia Olesya Alesja Алеся Олеся
f Veronika Veranika Weronika Вероника Вераніка
f Kristina Krystsina Krystyna Christina Кристина Крысціна
f Yana Jana Iana Яна
f Tamara Тамара
f Raisa Раиса Раіса
f Sofia Sofiya Safiya Zofia Sophie Sofija Софья София Сафія Софія
f Alina Аліна Алина
f Alla Алла
f Valeria Valeryia Waleria Валерия Валерыя
f Inna Инна
f Ulyana Uliana Uljana Ульяна Уляна
f Antonina Antanina Антонина Антаніна
f Liliya Lilia Лилия Лілія
f Alsu Alsou Алсу
f Angela Angelika Ангела
f Dalia Даля
f Ingrida Ингрида
f Ona Она
f Rūta Ruta Рута
"""


_MIN_KEY = 3  # skeleton letters a first name needs to be looked up


@dataclass(frozen=True)
class NameClass:
    """One first name across languages: its gender and its compiled forms."""

    gender: str
    forms: tuple[str, ...]
    initials: frozenset[str]  # lower-case first letter (and digraph) of every form in Latin


@dataclass
class FirstNames:
    """Lookup from a word of text to the first-name classes it can be a form of."""

    classes: list[NameClass] = field(default_factory=list)
    _nominatives: dict[str, set[int]] = field(default_factory=dict)
    _stems: dict[str, list[tuple[int, frozenset[str]]]] = field(default_factory=dict)
    _short: dict[str, set[int]] = field(default_factory=dict)  # names of one or two skeleton letters

    @classmethod
    def load(cls) -> FirstNames:
        """Compile the built-in classes."""
        names = cls()
        for line in _parse(_CLASSES) + _parse(given_names.CLASSES):
            names.add(line[0], line[1:])
        return names

    @staticmethod
    def family_first(word: str) -> bool:
        """True for a Korean, Chinese or Vietnamese family name, written before the given name."""
        return plain_key(word) in given_names.FAMILY_FIRST

    def add(self, gender: str, forms: tuple[str, ...]) -> int:
        """Add one class of equivalent first names; returns its id."""
        index = len(self.classes)
        initials = {ascii_letters(f)[:n] for f in forms for n in (1, 2)}
        self.classes.append(NameClass(gender, forms, frozenset(initials)))
        for form in forms:
            pattern = compile_word(form, "first", fuzzy=False)
            for key in pattern.nominatives:
                if len(key) < _MIN_KEY:  # "Theo" folds to "te": "The" would read as a first name
                    self._short.setdefault(plain_key(form), set()).add(index)  # so "Joe" only as written
                    continue
                self._nominatives.setdefault(key, set()).add(index)
            for stem in pattern.stems:
                self._stems.setdefault(stem.key, []).append((index, stem.strong | ENDINGS["first"]))
        return index

    def lookup(self, word: str, inflected: bool = True) -> frozenset[int]:
        """The classes `word` (as written, possibly inflected) can be a form of; empty if not a first name.

        Both readings count: Polish "Alesia" is the genitive of "Aleś" and also the name "Alesia".
        """
        found: set[int] = set(self._short.get(plain_key(word), ()))
        for key in skeletons(word):
            found.update(self._nominatives.get(key, ()))
            if not inflected:
                continue
            for cut in range(max(1, len(key) - MAX_ENDING), len(key)):
                for index, endings in self._stems.get(key[:cut], ()):
                    if key[cut:] in endings:
                        found.add(index)
        return frozenset(found)

    def gender(self, ids: frozenset[int]) -> str | None:
        """"m" or "f" when every class agrees, else None."""
        genders = {self.classes[i].gender for i in ids}
        return genders.pop() if len(genders) == 1 else None

    def initials(self, ids: frozenset[int]) -> frozenset[str]:
        """First letters (and digraphs such as "yu") the forms of these classes start with."""
        return frozenset().union(*(self.classes[i].initials for i in ids)) if ids else frozenset()


def _parse(text: str) -> list[tuple[str, ...]]:
    lines: list[list[str]] = []
    for raw in text.strip().splitlines():
        words = raw.split()
        if raw.startswith("  "):
            lines[-1].extend(words)
        else:
            lines.append(words)
    return [tuple(line) for line in lines]

