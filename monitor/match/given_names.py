"""First names beyond Eastern Europe, and the family names that East Asian names put first.

`monitor.match.names` holds the Belarusian, Russian, Ukrainian, Polish and Lithuanian classes; this module adds
the names the international press puts before a surname (English with its nicknames, German, French, Spanish,
Italian, Portuguese, Polish and Czech names not listed there, Hungarian, Turkish, Arabic, Hebrew, Indian and
Japanese given names), in the same format: a gender, then every spelling of one name. A name may sit in
several classes ("Jan" is John and Ivan). Nicknames that are everyday English words ("Rich", "Will",
"Pat", "Ray") are left out; "Bill", "Bob" or "Ted" stay, as the press uses them before a surname ("Bill Clinton").

`FAMILY_FIRST` lists the Korean, Chinese and Vietnamese family names: a term that starts with one of them and
goes on with a short given name ("Moon Jae-in", "Xi Jinping", "Nguyen Xuan Phuc") names its family first.
"""

from __future__ import annotations

CLASSES = """
m John Johnny Jack Jon Johann Johannes Jean Juan Giovanni João Jan János Hans Sean Seán Ian Evan Джон Хуан
m William Bill Billy Willie Wilhelm Willem Guillaume Guillermo Vilém Уильям Вильгельм
m Robert Bob Bobby Robbie Roberto Róbert
m Richard Rick Ricky Ricardo Riccardo Ryszard Richárd Ричард
m James Jim Jimmy Jamie Jacques Jaime Giacomo Джеймс Жак
m Joseph Joe Joey José Josef Józef József Giuseppe Yusuf Iosif Osip Josip Джозеф Иосиф Юсуф Йосип
m Thomas Tom Tommy Tomás Tomáš Tommaso Tamás Том
m Michael Mike Mikey Mick Miguel Michele Mihály Mikael Майкл Мигель
m Christopher Chris Christoph Christophe Krzysztof Kristof Cristóbal Кристофер
m Christian Krystian Christiaan Cristian Кристиан
m Daniel Dan Danny Dániel Даниэль Дэниел
m Anthony Tony Antony Antonio Antoine Anton Antal Энтони
m Charles Charlie Chuck Karl Carl Karol Karel Carlos Carlo Károly Чарльз Карл Карлос
m Edward Eddie Ted Edoardo Eduardo Ede Эдвард
m Theodore Teddy Ted Theo Teodor Tadeusz Теодор
m Nicholas Nick Nicky Niklas Klaus Nicola Nicolás Nicolae Miklós Ник Клаус
m Alexander Alex Alec Sándor Alessandro Алекс
m Peter Pete Pedro Péter Pietro Pieter Питер Педро
m Andrew Andy Andrés Andrea András Andreas Эндрю
m Matthew Matt Matthias Mathias Maciej Matteo Mateo Matěj Matyáš Mátyás Мэттью Маттео
m Steven Stephen Steve Stefan Esteban Étienne István Stefano Štefan Стивен Штефан
m Philip Phil Philippe Filip Felipe Filippo Fülöp Pilip Филипп Пилип
m Frederick Fred Freddie Friedrich Frédéric Fryderyk Federico Bedřich Фридрих Фредерик
m Francis Frank Franz François Francisco Francesco Franciszek František Ferenc Франсуа Франц Франциск
m Henry Harry Hank Heinrich Henri Henryk Enrique Enrico Henrik Jindřich Генри Генрих Анри
m Louis Lewis Luis Luiz Luís Ludwig Luigi Ludovic Lajos Луи Луис Людвиг
m Lawrence Larry Laurence Laurent Lorenzo Wawrzyniec Ларри Лоран
m Gregory Greg Gregor Grzegorz Gergely Грег
m Timothy Tim Timo Тим
m Jacob Jake Jakub Jakob Yakov Jacopo Iacob Якоб Джейкоб
m Paul Paulo Pablo Paolo Pál Pavol Пол Пабло Паоло
m Mark Marc Marcus Markus Marco Marek Marko Márk Марко Марек
m Luke Lukas Lucas Łukasz Luca Luka Lukáš Люк Лукас Лука
m Samuel Sam Sammy Sámuel Сэм Самуэль Самуил
m Benjamin Ben Benny Benjamín Beniamino Binyamin Benyamin Бенджамин Биньямин Беньямин
m Gabriel Gábor Gabriele Габриэль
m Raphael Rafael Rafał Raffaele Рафаэль
m Jeffrey Jeff Geoffrey Джефф
m Kenneth Ken Kenny
m Ronald Ron Ronnie Рональд
m Donald Donny Дональд
m Gerald Gerry Jerry Джерри
m Raymond Raymundo Raimund Реймонд
m Leonard Lenny Leo Leon Léon Leoš Леон
m Harold Harry Гарольд
m Walter Walt Walther Уолтер Вальтер
m Albert Alberto Albrecht Альберт
m Bernard Bernie Bernhard Bernardo Bernát Берни Бернар
m Vincent Vince Vincenzo Wincenty Vincenc Винсент
m Hugh Hugo Hugues Хьюго
m Jonathan Jonathon Джонатан
m Joshua Josh Джошуа
m Nathan Nate Nathaniel Натан
m Zachary Zach Zack
m Kevin Кевин
m Brian Bryan Брайан
m Eric Erik Erich Эрик
m Adam Adám Адам
m Aaron Áron Арон Аарон
m Abraham Ibrahim Avraham Авраам Ибрагим
m Isaac Itzhak Yitzhak Isaak Ицхак Исаак
m Moses Moshe Mojżesz Моше
m Oliver Olivier Olivér Оливер
m Sebastian Sébastien Sebastián Sebastiano Себастьян
m Olaf Olav Олаф
m Wolfgang Вольфганг
m Helmut Helmuth Гельмут
m Gerhard Герхард
m Jürgen Юрген
m Horst Хорст
m Armin Армин
m Dieter Дитер
m Günter Günther Гюнтер
m Emmanuel Emanuele
m Hunter Хантер
m Barack Барак
m Keir Кир
m Rishi Риши
m Gordon Гордон
m Neil Neal Нил
m Keith Кит
m Bruce Брюс
m Ralph Ральф
m Roger Роджер
m Howard Говард
m Dennis Деннис
m Douglas Дуглас
m Patrick Paddy Patryk Patrice Патрик
m Justin Джастин
m Ryan Райан
m Tyler Тайлер
m Jordan Джордан
m Kyle Кайл
m Marcel Марсель
m Pierre-Yves
m Rupert Руперт
m Boris
m Jeremy
m Clive Клайв
m Alan Allan Allen Алан
m Ed Ed Эд
m Nelson Нельсон
m Olof Олоф
m Roland Роланд
f Chelsea Челси
f Sharon Шэрон
f Dagmar Дагмар
m Emmanuel
m Nigel Найджел
m Jeremy Джереми
m Mitch Mitchell Митч
m Mitt Митт
m Dwight Дуайт
m Lyndon Линдон
m Franklin Франклин
m Woodrow Вудро
m Elon Илон
m Jared Джаред
m Beau Бо
m Jensen
m Sundar Сундар
m Satya Сатья
m Narendra Нарендра
m Rahul Рахул
m Amit Амит
m Arvind Арвинд
m Recep Реджеп
m Tayyip
m Mehmet Muhammad Mohammed Mohamed Mohammad Muhammed Magomed Mahmoud Mahmud Мухаммед Мохаммед Магомед
  Махмуд
m Ahmed Ahmad Ahmet Akhmed Ахмед Ахмад
m Ali Али
m Hassan Hasan Хасан
m Hussein Husain Hossein Хусейн
m Omar Umar Омар Умар
m Abdullah Abdallah Абдулла
m Mustafa Mustapha Мустафа
m Bashar Башар
m Ramzan Рамзан
m Yair Яир
m Naftali Нафтали
m Yoav Йоав
m Ariel Ариэль
m Lech Лех
m Leszek Лешек
m Bronisław Bronislav Бронислав
m Wojciech Vojtěch Adalbert Войцех
m Zbigniew Збигнев
m Radosław Radoslav Радослав
m Mirosław Miroslav Мирослав
m Czesław Czeslaw Чеслав
m Bogusław Bohuslav Богуслав
m Jacek Яцек
m Kazimierz Kazimir Kazimieras Kasimir Казимир
m Zygmunt Sigmund Zsigmond Зигмунт
m Wiesław Вислав
m Remigiusz Remigius Ремигиуш
m Przemysław Пшемыслав
m Sławomir Slavomír Славомир
m Hubert Губерт
m Adrian Adrián Адриан
m Dariusz Darius Dariusz Дариуш
m Janusz Януш
m Kamil Камиль
m Konrad Конрад
m Bartosz Bartłomiej Bartholomew Bartolomeo Бартош
m Mariusz Мариуш
m Václav Wacław Wenceslas Вацлав
m Miloš Milosz Miłosz Милош
m Jiří Jiri
m Zdeněk Zdenek Зденек
m Milan Милан
m Ladislav László Władysław Ласло
m Zoltán Zoltan Золтан
m Gyula Julius Juliusz Jules Julio Giulio Юлиус
m Attila Аттила
m Silvio Сильвио
m Mario Марио
m Santiago Сантьяго
m Javier Xavier Хавьер Ксавье
m Manuel Мануэль
m Diego Диего
m Fernando Ferdinand Fernand Фернандо Фердинанд
m Jorge George Хорхе
m Jair Жаир
m Inácio Ignacio Ignazio Ignacy Ignác Игнатий
m Shinzo Shinzō Синдзо
m Fumio Фумио
m Yoshihide Ёсихидэ
m Shigeru Сигэру
m Junichiro Дзюнъитиро
m Yoshihiko
m Naoto Наото
m Yukio Юкио
m Taro Tarō Таро
m Shintaro
m Haruki Харуки
m Hayao Хаяо
m Akira Акира
m Hirokazu
m Takeshi Такеси
m Kenji Кэндзи
m Hiroshi Хироси
m Shohei Сёхэй
m Kazuo Кадзуо
m Ichiro Итиро
m Akihito Акихито
m Naruhito Нарухито
m Fumihito
m Hideki Хидэки
m Hideo Хидэо
m Makoto Макото
m Masahiro
m Osamu Осаму
m Satoshi Сатоси
m Shinji Синдзи
m Takashi Такаси
m Tetsuya
m Toshio
m Yasuhiro
m Yoshio
m Koji Kōji Кодзи
m Ryuichi Рюити
m Daisuke Дайсукэ
m Masayoshi
m Kenzaburo
f Mary Marie Mariam Miriam Maryam Mária Marija Мэри Мариам
f Jane Joan Joanna Johanna Jeanne Juana Giovanna Ioana Janina Jana Johana Джейн Иоанна Янина
f Elizabeth Eliza Liz Lizzie Beth Betty Betsy Elisabeth Élisabeth Elisabetta Isabel Isabella Isabelle
  Izabela Erzsébet Alžběta Элизабет Изабелла Лиз
f Margaret Maggie Meg Peggy Margarethe Małgorzata Margarita Margot Marguerite Margit Markéta Маргарет
  Маргарита
f Catherine Kate Katie Kathy Cathy Katherine Kathryn Katharine Katharina Kateřina Katalin Caterina Кейт
  Кэтрин
f Jennifer Jenny Jen Дженнифер
f Rebecca Becky Rebekah Rivka Ребекка
f Susan Susie Suzanne Zuzana Zsuzsanna Susanne Сьюзен Сюзанна
f Deborah Debbie Debra Дебора
f Patricia Patty Patrycja Patrícia Патриция
f Sarah Sara Sára Сара
f Emily Emilia Emília Émilie Эмили Эмилия
f Emma Эмма
f Olivia Оливия
f Hannah Hanna Ann Anne Annie Anna Anita Hanne Анна Ханна Энн
f Laura Lora Лаура
f Lisa Liza Лиза
f Hillary Hilary Хиллари
f Kamala Камала
f Nancy Нэнси
f Barbara Barbora Borbála Varvara Basia Барбара Варвара
f Helen Helena Elena Ellen Eleanor Hélène Heléna Хелен
f Lucy Lucia Łucja Lucie Luzia Люси Лючия
f Claire Clara Klara Claudia Клара Клер Клаудия
f Ursula Urszula Uršula Урсула
f Christine Christiane Krisztina Christina Кристин
f Monika Monica Моника
f Agnieszka Agnes Agnès Ágnes Anežka Агнешка Агнес
f Beata Беата
f Dorota Dorothy Dorothea Дорота
f Ewa Eva Éva Yeva Ева Єва
f Magdalena Magda Madeleine Магдалена
f Renata Рената
f Jolanta Иоланта Jolanda
f Teresa Theresa Tereza Teréz Тереза
f Iwona Ivona Ивона
f Justyna Justine Justina Юстина
f Natalie Nathalie Natálie Натали
f Amelia Amélie Амелия
f Charlotte Шарлотта
f Diana Диана
f Jessica Джессика
f Ashley Эшли
f Michelle Michèle Michela Мишель
f Stephanie Stéphanie Стефани
f Melania Melanie Mélanie Мелания
f Ivanka Ivana Иванка Ивана
f Giorgia Georgia Джорджа
f Annalena Анналена
f Kaja Kaia Кая
f Ségolène
f Marine Марин
f Judith Judit Judyta Юдит
f Amy Эми
f Jill Джилл
f Kirsten Кирстен
f Nikki Никки
f Sonia Sonja Соня
f Indira Индира
f Priyanka Приянка
f Oprah Опра
f Meghan Меган
f Camilla Камилла
f Sanae Санаэ
f Yuriko Юрико
f Yoko Ёко
f Keiko Кэйко
f Masako Масако
f Michiko Митико
f Yumiko
f Naomi Наоми
f Mariko
f Sachiko
f Tomoko
"""

# Korean, Chinese (pinyin and Wade-Giles) and Vietnamese family names: written first, before the given name.
_FAMILY_NAMES = """
    kim gim lee yi rhee park pak bak choi choe jung jeong chung kang cho jo yoon yun jang chang lim im han oh
    seo suh shin sin kwon hwang ahn an song yoo yu ryu hong jeon jun chun ko go moon mun yang son sohn bae
    baek paik heo huh nam shim sim noh roh ha kwak sung seong cha joo ju woo koo ku min na jin ji eom um chae
    won bang kong hyun hyeon ham byun byeon yeom ban pyo
    xi li wang zhang liu chen huang zhao wu zhou xu sun ma zhu hu guo he lin gao luo zheng liang xie tang
    feng deng cao peng zeng xiao tian dong pan yuan cai jiang du ye cheng wei su lu ding ren yao shen zhong
    cui tan fan liao shi jia xia fu fang zou xiong bai meng qin qiu hou yin xue yan duan lei long shao wan
    qian dai mao hao bo wen ou chiang chan cheung leung wong lam ng tsai lai teo goh lau chow chiu kuo hsu
    hsieh
    nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly truong dinh to
"""
FAMILY_FIRST = frozenset(_FAMILY_NAMES.split())
